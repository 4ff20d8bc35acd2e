using System.Threading.Channels;
using Cutover.Core.Routing;
using Cutover.Server.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Shadow;

/// <summary>
/// The shadow path's queues: one lane per migration, each a bounded queue drained by a bounded
/// number of workers, so one migration's slow candidate cannot starve another's copies. Offering
/// a copy never waits: when the lane's queue is full the copy is refused and the caller counts it
/// as dropped.
/// </summary>
internal sealed class ShadowDispatcher(ShadowSender sender, ILogger<ShadowDispatcher> logger) : IAsyncDisposable
{
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Queues a copy for its migration's workers; false when the queue is full or the host is stopping.</summary>
    public bool TryEnqueue(ShadowCopy copy) => LaneOf(copy.Migration)?.Queue.Writer.TryWrite(copy) == true;

    /// <summary>Stops taking copies, gives the queued ones a few seconds to finish, then cancels the rest.</summary>
    public async ValueTask DisposeAsync()
    {
        Lane[] lanes;
        lock (_gate)
        {
            _disposed = true;
            lanes = [.. _lanes.Values];
        }

        foreach (var lane in lanes)
        {
            lane.Queue.Writer.TryComplete();
        }

        var workers = Task.WhenAll(lanes.SelectMany(l => l.Workers));
        if (await Task.WhenAny(workers, Task.Delay(DrainTime)) != workers)
        {
            await _stopping.CancelAsync();
        }

        await workers.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private Lane? LaneOf(MigrationModel migration)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            if (!_lanes.TryGetValue(migration.Name, out var lane))
            {
                // The lane is sized by the policy it was created with; a migration's shadow section is fixed for the life of the process.
                var queue = Channel.CreateBounded<ShadowCopy>(new BoundedChannelOptions(migration.Shadow.QueueSize) { FullMode = BoundedChannelFullMode.Wait });
                var workers = Enumerable.Range(0, migration.Shadow.Concurrency).Select(_ => Task.Run(() => WorkAsync(queue.Reader))).ToArray();
                lane = _lanes[migration.Name] = new Lane(queue, workers);
            }

            return lane;
        }
    }

    private async Task WorkAsync(ChannelReader<ShadowCopy> queue)
    {
        try
        {
            await foreach (var copy in queue.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    await sender.SendAsync(copy, _stopping.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
                {
                    CutoverLog.ShadowCopyFailed(logger, copy.Migration.Name, copy.Endpoint, e);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: copies still queued are abandoned, as the shutdown allows.
        }
    }

    private sealed record Lane(Channel<ShadowCopy> Queue, Task[] Workers);
}
