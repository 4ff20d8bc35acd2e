using System.Collections.Concurrent;
using System.Text.Json;

namespace EnhancedSearch;

/// <summary>
/// The enhanced search's own data: how often each word was searched for, which ranks its results.
/// Kept in a JSON file that it writes every 2 seconds, whole, through a temporary file renamed over
/// the old one, so a copy taken at any moment (the operator's backup) is a complete file.
/// </summary>
internal sealed class Popularity
{
    private readonly ConcurrentDictionary<string, int> _counts;
    private readonly string _path;
    private int _changes;

    private Popularity(string path, Dictionary<string, int> counts)
    {
        _path = path;
        _counts = new ConcurrentDictionary<string, int>(counts, StringComparer.Ordinal);
    }

    /// <summary>Reads the data file; a missing file is a start from nothing.</summary>
    public static async Task<Popularity> LoadAsync(string path)
    {
        if (!File.Exists(path))
        {
            return new Popularity(path, []);
        }

        try
        {
            return new Popularity(path, JsonSerializer.Deserialize<Dictionary<string, int>>(await File.ReadAllTextAsync(path)) ?? []);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The data file {path} is not the search's popularity JSON ({e.Message}); restore it from its backup, or delete it to start from nothing.", e);
        }
    }

    /// <summary>Counts one search for <paramref name="query"/>.</summary>
    public void Count(string query)
    {
        _counts.AddOrUpdate(query.Trim().ToLowerInvariant(), 1, (_, n) => n + 1);
        Interlocked.Increment(ref _changes);
    }

    /// <summary>How popular a product is: the searches for each word of its name.</summary>
    public int Of(string name) => name.Split(' ').Sum(word => _counts.GetValueOrDefault(word));

    /// <summary>How many searches the file holds, for <c>GET /health</c>.</summary>
    public int Total => _counts.Values.Sum();

    /// <summary>Writes the file every 2 seconds while something changed, until stopped; once more at the end.</summary>
    public async Task KeepSavedAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                await SaveAsync();
            }
        }
        catch (OperationCanceledException)
        {
            await SaveAsync();
        }
    }

    private async Task SaveAsync()
    {
        if (Interlocked.Exchange(ref _changes, 0) == 0)
        {
            return;
        }

        var temporary = _path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(new SortedDictionary<string, int>(_counts, StringComparer.Ordinal)));
        File.Move(temporary, _path, overwrite: true);
    }
}
