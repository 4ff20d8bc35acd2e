using Cutover.Backfill.Leases;
using Cutover.Backfill.Throttling;

namespace Cutover.Backfill.Copying;

/// <summary>What a run's batches wait for, and what it reports while waiting.</summary>
internal sealed record Holds(BatchCopier Copier, RowRateLimiter Limiter, AdaptiveThrottle Throttle, PauseRequest Pause, IRunHold Lease, long? Total, RecentRate Rate);
