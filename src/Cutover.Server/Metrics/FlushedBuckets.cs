using Cutover.Kernel.Metrics;
using Cutover.Store;

namespace Cutover.Server.Metrics;

/// <summary>
/// What this replica last wrote of each recent bucket, so a flush sends only the buckets that
/// changed since. A flush looks back over the last few buckets (a bucket keeps changing until a
/// little after it ends), and most of them, closed and quiet, are the same as a second ago:
/// writing them again cost the store a row per migration and bucket every second.
/// </summary>
internal sealed class FlushedBuckets
{
    private readonly Dictionary<(string Migration, DateTimeOffset Start), long> _written = [];

    /// <summary>The buckets whose counts differ from what was last written of them (or were never written).</summary>
    public List<ReplicaBucket> Changed(IEnumerable<ReplicaBucket> buckets) =>
        [.. buckets.Where(b => !_written.TryGetValue((b.Migration, b.Bucket.Start), out var written) || written != Counted(b.Bucket))];

    /// <summary>Notes <paramref name="buckets"/> as stored, and forgets buckets that start before <paramref name="oldest"/>, which no flush sends again.</summary>
    public void Written(IEnumerable<ReplicaBucket> buckets, DateTimeOffset oldest)
    {
        foreach (var bucket in buckets)
        {
            _written[(bucket.Migration, bucket.Bucket.Start)] = Counted(bucket.Bucket);
        }

        foreach (var key in _written.Keys.Where(k => k.Start < oldest).ToList())
        {
            _written.Remove(key);
        }
    }

    // Every count of a bucket only grows while the bucket is open, so their sum changes whenever any of them does.
    private static long Counted(MetricsBucket b) =>
        b.Legacy.Requests + b.Legacy.Errors + b.Legacy.Latency.Count + b.Candidate.Requests + b.Candidate.Errors + b.Candidate.Latency.Count
        + b.Compared + b.Divergent + b.Rescued;
}
