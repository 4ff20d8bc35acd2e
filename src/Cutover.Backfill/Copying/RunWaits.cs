using Cutover.Backfill.Leases;
using Cutover.Backfill.Throttling;
using Cutover.Store;

namespace Cutover.Backfill.Copying;

/// <summary>
/// What holds a copy back before a batch: an unhealthy target (backoff), a pause asked with
/// <c>cutover backfill pause</c>, and the rate limit; each told to the run's progress as it starts.
/// </summary>
internal sealed class RunWaits(IBackfillStore store, TimeProvider time, Action<BackfillProgress>? progress)
{
    /// <summary>How often a paused run looks whether it was resumed.</summary>
    public static readonly TimeSpan PausePoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Before a batch: backs off while the target is unhealthy (the backoff saved with the record when
    /// it starts or its wait grows, and cleared once the target is healthy again), waits while a pause
    /// is asked (the record saved as <c>paused</c>, then <c>running</c> again), then waits for the rate
    /// limit, telling the progress what holds the run back. Returns the record as now saved.
    /// </summary>
    public async Task<BackfillRecord> HoldBackAsync(Holds holds, BackfillRecord record, CancellationToken cancellationToken)
    {
        var current = record;
        void Report(ThrottleState state) => progress?.Invoke(BackfillProgress.Of(current, holds.Total, StoreTime.Now(time)) with { Throttle = state, RecentRowsPerSecond = holds.Rate.RowsPerSecond });
        async Task SaveThrottleAsync(ThrottleState? state)
        {
            current = current with { Throttle = state?.Encode(), UpdatedAt = StoreTime.Now(time) };
            await store.SaveBackfillAsync(current, cancellationToken);
        }

        await BackOffAsync(holds.Throttle, holds.Copier, holds.Lease, async state =>
        {
            Report(state);
            if (ThrottleState.Parse(current.Throttle) is not { } stored || (stored.Since, stored.Wait) != (state.Since, state.Wait))
            {
                await SaveThrottleAsync(state);
            }
        }, cancellationToken);
        if (!holds.Throttle.BackingOff && current.Throttle is not null)
        {
            await SaveThrottleAsync(null);
        }

        if (await holds.Pause.IsAskedAsync(cancellationToken))
        {
            current = current with { Status = BackfillStatus.Paused, UpdatedAt = StoreTime.Now(time) };
            await store.SaveBackfillAsync(current, cancellationToken);
            Report(ThrottleState.Paused);
            while (await holds.Pause.IsAskedAsync(cancellationToken))
            {
                await Task.Delay(PausePoll, time, cancellationToken);
                await holds.Lease.RenewAsync(cancellationToken);
            }

            current = current with { Status = BackfillStatus.Running, UpdatedAt = StoreTime.Now(time) };
            await store.SaveBackfillAsync(current, cancellationToken);
        }

        if (holds.Limiter.Ahead() > TimeSpan.Zero)
        {
            Report(ThrottleState.RateLimited);
            await holds.Limiter.WaitAsync(cancellationToken);
        }

        return current;
    }

    /// <summary>
    /// Waits, longer each time, while the target is unhealthy, renewing the job's lease between waits;
    /// <paramref name="backingOff"/> hears of each wait before it is taken.
    /// </summary>
    public async Task BackOffAsync(AdaptiveThrottle throttle, BatchCopier copier, IRunHold lease, Func<ThrottleState, Task>? backingOff, CancellationToken cancellationToken)
    {
        while (await throttle.UnhealthyAsync(copier.Databases.TargetConnection, cancellationToken) is { } why)
        {
            var state = throttle.BackOff(why);
            if (backingOff is not null)
            {
                await backingOff(state);
            }

            await Task.Delay(state.Wait, time, cancellationToken);
            await lease.RenewAsync(cancellationToken);
        }
    }
}
