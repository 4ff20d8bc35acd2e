using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Cutover.Kernel.Link;

namespace Cutover.Bench.Fleet;

/// <summary>
/// Follows one replica's <c>GET /api/events</c> and notes when each migration's version first
/// appeared on it. A replica announces a change after it swapped its routing snapshot, so the
/// moment its stream carries a version is a moment its data plane routes by it.
/// </summary>
internal sealed class ReplicaWatch : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (long Version, long At)> _latest = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Task _reading;
    private readonly TaskCompletionSource _snapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReplicaWatch(Replica replica)
    {
        Replica = replica;
        _reading = ReadAsync(new Uri(replica.Admin, "api/events"));
    }

    public Replica Replica { get; }

    /// <summary>Completes once the stream's first snapshot arrived.</summary>
    public Task Snapshot => _snapshot.Task;

    /// <summary>The <see cref="Stopwatch"/> timestamp at which this replica first announced <paramref name="migration"/> at <paramref name="version"/> or later, or null if it has not.</summary>
    public long? SeenAt(string migration, long version) =>
        _latest.TryGetValue(migration, out var seen) && seen.Version >= version ? seen.At : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(Uri events)
    {
        using var response = await _http.GetAsync(events, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
        await foreach (var message in SseParser.Create(body).EnumerateAsync(_stop.Token))
        {
            var at = Stopwatch.GetTimestamp();
            if (message.EventType == LinkEvents.State && JsonSerializer.Deserialize<MigrationStateEvent>(message.Data, JsonSerializerOptions.Web) is { } state)
            {
                // Only the first sighting of a version counts; a later, newer one moves the mark on.
                _latest.AddOrUpdate(state.Name, (state.Version, at), (_, held) => state.Version > held.Version ? (state.Version, at) : held);
            }
            else if (message.EventType == LinkEvents.Snapshot)
            {
                _snapshot.TrySetResult();
            }
        }
    }
}
