using System.Diagnostics.CodeAnalysis;

namespace Cutover.Core.Analysis;

/// <summary>
/// A comparison a plan's gate or trigger makes on a window of metrics, written as text:
/// <c>candidate.p99 &lt;= 1.1 * legacy.p99</c>, <c>candidate.errorRate &gt; 0.05 for 1m</c>.
/// Each side is a number, a metric, or a metric times a number; one side at least is a metric.
/// Kept this small on purpose: a rollout rule has to be read at a glance by whoever is paged
/// for it, and anything a plan needs beyond one comparison is better written as two conditions.
/// </summary>
public sealed class Condition
{
    private readonly Operand _left;
    private readonly ComparisonOperator _comparison;
    private readonly Operand _right;

    internal Condition(Operand left, ComparisonOperator comparison, Operand right, string? durationText, TimeSpan duration)
    {
        _left = left;
        _comparison = comparison;
        _right = right;
        var comparisonText = $"{left.Text} {comparison.Symbol} {right.Text}";
        Text = durationText is null ? comparisonText : $"{comparisonText} for {durationText}";
        For = duration;
        Metrics = [.. UsedMetrics().Select(m => m.Name)];
        Impossibility = FindImpossibility(comparisonText);
    }

    /// <summary>Every metric a condition may name, candidate side first; the names are case-sensitive.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [.. ConditionMetric.All.Select(m => m.Name)];

    /// <summary>
    /// The condition with single spaces between its parts and a factor always before its metric,
    /// e.g. "candidate.p99 &lt;= 1.1 * legacy.p99 for 5m"; numbers and the duration as written.
    /// It parses back to itself.
    /// </summary>
    public string Text { get; }

    /// <summary>How long the comparison must keep holding before a trigger fires; zero when no "for" was written.</summary>
    public TimeSpan For { get; }

    /// <summary>The metrics the condition names, each once, in the order written.</summary>
    public IReadOnlyList<string> Metrics { get; }

    /// <summary>
    /// Why the condition can never be met, or null. Every metric has a range (rates, scores and
    /// probabilities in [0, 1], latencies and counts from 0 up), and a condition outside it, such
    /// as "healthScore &gt; 1", is a typo that would leave a gate shut or a trigger dead forever:
    /// worth refusing when a plan is loaded rather than discovering mid-rollout.
    /// </summary>
    public string? Impossibility { get; }

    /// <summary>Parses a condition; on failure <paramref name="error"/> names the problem and how to fix it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Condition? condition, [NotNullWhen(false)] out string? error) =>
        ConditionParser.TryParse(text, out condition, out error);

    /// <summary>Parses a condition or throws <see cref="FormatException"/> naming the problem.</summary>
    public static Condition Parse(string text) =>
        TryParse(text, out var condition, out var error) ? condition : throw new FormatException($"'{text}' is not a condition: {error}");

    /// <summary>
    /// Checks the comparison on a window. Inconclusive, never met or not met, when a metric it
    /// names has too few samples: a judgement on an empty or thin side would be a guess.
    /// </summary>
    public ConditionEvaluation Evaluate(AnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var left = _left.Read(input);
        var right = _right.Read(input);
        if (left.Value is not { } leftValue || right.Value is not { } rightValue)
        {
            var missing = string.Join(" and ", new[] { left.Missing, right.Missing }.OfType<string>().Distinct());
            return new ConditionEvaluation(Text, ConditionVerdict.Inconclusive, left.Value, right.Value, $"inconclusive: {missing}");
        }

        var sides = (Left: _left.Describe(leftValue), Right: _right.Describe(rightValue));
        return _comparison.Holds(leftValue, rightValue)
            ? new ConditionEvaluation(Text, ConditionVerdict.Met, leftValue, rightValue, $"{sides.Left} {_comparison.Symbol} {sides.Right}")
            : new ConditionEvaluation(Text, ConditionVerdict.NotMet, leftValue, rightValue, $"{sides.Left} is not {_comparison.Symbol} {sides.Right}");
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private IEnumerable<ConditionMetric> UsedMetrics() => new[] { _left.Metric, _right.Metric }.OfType<ConditionMetric>().Distinct();

    private string? FindImpossibility(string comparisonText)
    {
        // The condition holds for some values iff left − right can fall on the right side of 0.
        // With one metric on both sides they move together: (a − b) × x over the metric's range.
        var (low, high) = _left.Metric is { } metric && metric == _right.Metric
            ? metric.RangeTimes(_left.Factor - _right.Factor)
            : (_left.Range.Low - _right.Range.High, _left.Range.High - _right.Range.Low);
        return _comparison.HoldsForSomeDifference(low, high)
            ? null
            : $"'{comparisonText}' can never be met: {string.Join(" and ", UsedMetrics().Select(m => m.RangeText))}";
    }
}
