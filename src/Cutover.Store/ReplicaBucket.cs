using Cutover.Kernel.Metrics;

namespace Cutover.Store;

/// <summary>
/// One replica's share of one migration's 10-second bucket, as stored. Each replica writes only
/// its own rows, so replicas never contend for a row, and the fleet's bucket is the sum of the rows
/// with the same migration and start.
/// </summary>
/// <param name="Migration">The migration counted.</param>
/// <param name="Replica">The process that counted it (<c>CutoverHostOptions.Replica</c>).</param>
/// <param name="Bucket">What it counted; its <see cref="MetricsBucket.Start"/> is the bucket's start.</param>
public sealed record ReplicaBucket(string Migration, string Replica, MetricsBucket Bucket);
