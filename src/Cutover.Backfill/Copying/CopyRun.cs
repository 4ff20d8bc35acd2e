using Cutover.Backfill.Jobs;
using Cutover.Backfill.Throttling;

namespace Cutover.Backfill.Copying;

/// <summary>What one copy works with: the job, its open copier, and the transform, throttle and rate limit its batches go through.</summary>
internal sealed record CopyRun(BackfillJob Job, BatchCopier Copier, BatchTransform Transform, AdaptiveThrottle Throttle, RowRateLimiter Limiter);
