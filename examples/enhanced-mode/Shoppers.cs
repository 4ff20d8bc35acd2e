using System.Collections.Concurrent;
using System.Net;

namespace EnhancedSearch;

/// <summary>
/// Shoppers searching through Cutover: <paramref name="users"/> users (u001, u002, …, each sending
/// its id in <c>X-User-Id</c>, the migration's sticky key) taking turns, <paramref name="rate"/>
/// searches a second whatever each answer takes, with a line every 10 seconds of what they got:
/// which side answered (the <c>Cutover-Side</c> header) and how many searches failed.
/// </summary>
internal sealed class Shoppers(Uri proxy, int users, int rate)
{
    private static readonly string[] Queries = ["sofa", "couch", "lamp", "light", "rug", "carpet", "oak", "seat", "desk", "cupboard", "mirror", "bed"];

    private readonly ConcurrentDictionary<string, int> _tally = new(StringComparer.Ordinal);
    private int _searches;
    private int _failed;

    /// <summary>Searches until stopped.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var client = new HttpClient { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(10) };
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / rate));
        var since = TimeProvider.System.GetTimestamp();
        try
        {
            for (var i = 0; await timer.WaitForNextTickAsync(stopping); i++)
            {
                _ = SearchAsync(client, $"u{i % users + 1:000}", Queries[i % Queries.Length], stopping);
                if (TimeProvider.System.GetElapsedTime(since) >= TimeSpan.FromSeconds(10))
                {
                    var tally = _tally.ToArray();
                    _tally.Clear();
                    Console.WriteLine($"shoppers: last 10 s: {string.Join(", ", tally.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value}"))}; " +
                        $"since start: {Volatile.Read(ref _searches)} searches answered, {Volatile.Read(ref _failed)} failed");
                    since = TimeProvider.System.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task SearchAsync(HttpClient client, string user, string query, CancellationToken stopping)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/search?q={query}");
        request.Headers.Add("X-User-Id", user);
        string outcome;
        try
        {
            using var response = await client.SendAsync(request, stopping);
            outcome = response.StatusCode == HttpStatusCode.OK
                ? response.Headers.TryGetValues("Cutover-Side", out var side) ? side.First() : "unknown side"
                : $"failed {(int)response.StatusCode}";
        }
        catch (HttpRequestException)
        {
            outcome = "failed (no answer)";
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _tally.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        Interlocked.Increment(ref outcome.StartsWith("failed", StringComparison.Ordinal) ? ref _failed : ref _searches);
    }
}
