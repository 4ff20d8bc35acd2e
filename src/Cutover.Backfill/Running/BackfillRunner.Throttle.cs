using Cutover.Backfill.Throttling;
using Cutover.Store;

namespace Cutover.Backfill.Running;

public sealed partial class BackfillRunner
{
    /// <summary>How often a paused run looks whether it was resumed.</summary>
    public static readonly TimeSpan PausePoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Asks the running job called <paramref name="name"/> to pause after its current batch (its
    /// status reads <c>paused</c> once it does); <see cref="UnpauseAsync"/> lets it go on. Refused
    /// when no run holds the job, pointing at <c>resume</c> for a stopped or failed one.
    /// </summary>
    public async Task<BackfillRecord> PauseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await store.InitializeAsync(cancellationToken);
        var (record, _) = await StoredAsync(name, cancellationToken);
        if (record.Status is not (BackfillStatus.Running or BackfillStatus.Paused) || !await JobLease.IsHeldAsync(store, name, cancellationToken))
        {
            throw new BackfillRefusedException(
                $"Backfill job '{name}' is not running (status {Text(record.Status)}, no run holds it in {store.Description}); there is nothing to pause. " +
                (record.Status == BackfillStatus.Completed ? "It completed." : $"It is already at rest at its checkpoint; `cutover backfill resume {name}` continues it."));
        }

        await new PauseRequest(store, name).AskAsync(cancellationToken);
        return record;
    }

    /// <summary>
    /// Withdraws a pause asked of the job called <paramref name="name"/>; true when a run holds the
    /// job and so goes on by itself, false when there is no such run (then <c>resume</c> copies).
    /// </summary>
    public async Task<bool> UnpauseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await store.InitializeAsync(cancellationToken);
        var pause = new PauseRequest(store, name);
        if (!await pause.IsAskedAsync(cancellationToken))
        {
            return false;
        }

        await pause.WithdrawAsync(cancellationToken);
        return await JobLease.IsHeldAsync(store, name, cancellationToken);
    }

    /// <summary>
    /// Before a batch: backs off while the target is unhealthy (the backoff saved with the record when
    /// it starts or its wait grows, and cleared once the target is healthy again), waits while a pause
    /// is asked (the record saved as <c>paused</c>, then <c>running</c> again), then waits for the rate
    /// limit, telling <see cref="Progress"/> what holds the run back. Returns the record as now saved.
    /// </summary>
    private async Task<BackfillRecord> HoldBackAsync(Holds holds, BackfillRecord record, CancellationToken cancellationToken)
    {
        var current = record;
        void Report(ThrottleState state) => Progress?.Invoke(BackfillProgress.Of(current, holds.Total, Now()) with { Throttle = state, RecentRowsPerSecond = holds.Rate.RowsPerSecond });
        async Task SaveThrottleAsync(ThrottleState? state)
        {
            current = current with { Throttle = state?.Encode(), UpdatedAt = Now() };
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
            current = current with { Status = BackfillStatus.Paused, UpdatedAt = Now() };
            await store.SaveBackfillAsync(current, cancellationToken);
            Report(ThrottleState.Paused);
            while (await holds.Pause.IsAskedAsync(cancellationToken))
            {
                await Task.Delay(PausePoll, time, cancellationToken);
                await holds.Lease.RenewAsync(cancellationToken);
            }

            current = current with { Status = BackfillStatus.Running, UpdatedAt = Now() };
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
    private async Task BackOffAsync(AdaptiveThrottle throttle, BatchCopier copier, IRunHold lease, Func<ThrottleState, Task>? backingOff, CancellationToken cancellationToken)
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

    /// <summary>What a run's batches wait for, and what it reports while waiting.</summary>
    private sealed record Holds(BatchCopier Copier, RowRateLimiter Limiter, AdaptiveThrottle Throttle, PauseRequest Pause, IRunHold Lease, long? Total, RecentRate Rate);
}
