using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Cutover.Core.Routing;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Timing;
using Cutover.Server.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Shadow;

/// <summary>
/// The shadow path's queues: one lane per migration, each a bounded queue drained by a bounded
/// number of workers, so one migration's slow candidate cannot starve another's copies. Offering
/// a copy never waits: when the lane's queue is full, or the copy's bytes would pass the
/// migration's <c>shadow.maxQueuedBytes</c> or the process's shadow memory budget, the copy is
/// refused and the caller counts it as dropped. A copy's bytes are held from the moment it is
/// queued until it is sent or abandoned.
/// </summary>
internal sealed class ShadowDispatcher(ShadowSender sender, ShadowMemory memory, ILogger<ShadowDispatcher> logger) : IAsyncDisposable
{
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _draining;
    private bool _disposed;

    /// <summary>Queues a copy for its migration's workers; false when the queue or a byte budget is full, or the host is stopping.</summary>
    public bool TryEnqueue(ShadowCopy copy)
    {
        if (LaneOf(copy.Migration) is not { } lane)
        {
            return false;
        }

        var migration = copy.Migration;
        var queued = migration.Counters.Shadow.Queued;
        var policy = migration.Shadow;
        string? full = null;
        if (!queued.TryHold(copy.Bytes, policy.MaxQueuedBytes))
        {
            full = string.Create(CultureInfo.InvariantCulture, $"its copies hold {queued.Held} bytes of shadow.maxQueuedBytes ({policy.MaxQueuedBytes})");
        }
        else if (!memory.TryHold(copy.Bytes))
        {
            queued.Release(copy.Bytes);
            full = string.Create(CultureInfo.InvariantCulture, $"all migrations' copies hold {memory.Held} bytes of the process's shadow memory budget ({memory.Limit})");
        }
        else if (!lane.Queue.Writer.TryWrite(copy))
        {
            Release(HeldCopy.Of(copy));
            full = string.Create(CultureInfo.InvariantCulture, $"{policy.QueueSize} copies wait (shadow.queueSize)");
        }

        // One line when dropping starts, not one per copy: a stuck candidate would otherwise flood the log.
        if (lane.SetDropping(full is not null) && full is not null)
        {
            CutoverLog.ShadowCopiesDropped(logger, migration.Name, full);
        }

        return full is null;
    }

    /// <summary>
    /// Stops taking copies, gives the queued ones a few seconds to finish, then cancels the rest;
    /// a second call waits for the first, so the evidence flushed after it holds every copy's result.
    /// </summary>
    public async Task DrainAsync()
    {
        if (Interlocked.Exchange(ref _draining, 1) == 1)
        {
            await _drained.Task;
            return;
        }

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
        if (!await IoDeadline.WithinAsync(workers, DrainTime))
        {
            await _stopping.CancelAsync();
        }

        await workers.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var lane in lanes)
        {
            while (lane.Queue.Reader.TryRead(out var abandoned))
            {
                Release(HeldCopy.Of(abandoned));
            }
        }

        _drained.SetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await DrainAsync();
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
        // A worker starts inside the request that opened its lane: without this, that request's activity would be kept alive and parent every copy's.
        Activity.Current = null;
        try
        {
            while (await queue.WaitToReadAsync(_stopping.Token))
            {
                while (await SendNextAsync(queue) is { } sent)
                {
                    // Given back only now that nothing references the copy, so a collection on the last release frees it too.
                    Release(sent);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: copies still queued are abandoned, as the shutdown allows.
        }
    }

    /// <summary>
    /// Sends the next queued copy, if any, and says what it held. A method of its own so that no
    /// worker keeps its last copy (a few MB of captured answer) referenced once it is sent.
    /// </summary>
    private async Task<HeldCopy?> SendNextAsync(ChannelReader<ShadowCopy> queue)
    {
        if (!queue.TryRead(out var copy))
        {
            return null;
        }

        try
        {
            await sender.SendAsync(copy, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: this copy is abandoned; the worker stops at its next wait.
        }
        catch (Exception e)
        {
            CutoverLog.ShadowCopyFailed(logger, copy.Migration.Name, copy.Endpoint, e);
        }

        return HeldCopy.Of(copy);
    }

    private void Release(HeldCopy copy)
    {
        copy.Migration.Release(copy.Bytes);
        memory.Release(copy.Bytes);
    }

    /// <summary>The bytes a copy held and the migration ledger they are held in, without the copy itself.</summary>
    private readonly record struct HeldCopy(HeldBytes Migration, long Bytes)
    {
        public static HeldCopy Of(ShadowCopy copy) => new(copy.Migration.Counters.Shadow.Queued, copy.Bytes);
    }

    private sealed class Lane(Channel<ShadowCopy> queue, Task[] workers)
    {
        private int _dropping;

        public Channel<ShadowCopy> Queue => queue;

        public Task[] Workers => workers;

        /// <summary>Notes whether copies are being dropped; true when that changed.</summary>
        public bool SetDropping(bool dropping) => Interlocked.Exchange(ref _dropping, dropping ? 1 : 0) != (dropping ? 1 : 0);
    }
}
