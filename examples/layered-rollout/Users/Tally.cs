using System.Globalization;

namespace LayeredRollout.Users;

/// <summary>What the simulated users got, by outcome and by the side that answered: over the last interval and since the start.</summary>
internal sealed class Tally
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _interval = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _total = new(StringComparer.Ordinal);

    public void Count(string outcome, string? side)
    {
        lock (_lock)
        {
            foreach (var key in side is null ? [outcome] : new[] { outcome, $"by {side}" })
            {
                _interval[key] = _interval.GetValueOrDefault(key) + 1;
                _total[key] = _total.GetValueOrDefault(key) + 1;
            }
        }
    }

    /// <summary>The interval's counts, which then start again.</summary>
    public string TakeInterval()
    {
        lock (_lock)
        {
            var text = Format(_interval);
            _interval.Clear();
            return text;
        }
    }

    public string Total()
    {
        lock (_lock)
        {
            return Format(_total);
        }
    }

    // "412 answered (by legacy 380, by candidate 32), 0 failed", failures by kind when there are some.
    private static string Format(Dictionary<string, long> counts)
    {
        var answered = counts.GetValueOrDefault("answered");
        var sides = string.Join(", ", new[] { "by legacy", "by candidate" }.Select(s => $"{s} {counts.GetValueOrDefault(s)}"));
        var failed = counts.Where(c => c.Key.StartsWith("failed", StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        var failures = failed.Count == 0
            ? "0 failed"
            : string.Join(", ", failed.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Value} {f.Key}")));
        return string.Create(CultureInfo.InvariantCulture, $"{answered} answered ({sides}), {failures}");
    }
}
