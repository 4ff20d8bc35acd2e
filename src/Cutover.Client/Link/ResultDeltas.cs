using Cutover.Kernel.Link;
using Cutover.Kernel.Metrics;

namespace Cutover.Client.Link;

/// <summary>
/// What each migration counted since the last report, read from the counters the SDK records
/// into. Counters only grow, so a delta is the difference from what was last taken; once taken
/// it is never taken again, whether or not the report carrying it arrives.
/// </summary>
internal sealed class ResultDeltas(MetricsRegistry metrics)
{
    private readonly Dictionary<string, Taken> _taken = new(StringComparer.Ordinal);

    /// <summary>The deltas of every migration that counted anything since the last call, with how many calls they cover.</summary>
    public (IReadOnlyList<MigrationResults> Results, long Calls) Take(Func<string, bool> reportable, out long unreportable)
    {
        var results = new List<MigrationResults>();
        var calls = 0L;
        unreportable = 0;
        foreach (var name in metrics.Names)
        {
            var counters = metrics.For(name);
            var earlier = _taken.GetValueOrDefault(name) ?? Taken.Zero;
            var now = Taken.Read(counters, earlier);
            _taken[name] = now;
            var delta = now.Since(name, earlier);
            var count = delta.Legacy!.Requests + delta.Candidate!.Requests;
            if (delta.Legacy.Latency is null && delta.Candidate.Latency is null && count == 0 && delta.Shadow is { Compared: 0, CandidateErrors: 0 })
            {
                continue;
            }

            if (!reportable(name))
            {
                unreportable += count;
                continue;
            }

            results.Add(delta);
            calls += count;
        }

        return (results, calls);
    }

    private sealed record SideTaken(long Requests, long Errors, long[] Latency)
    {
        public static SideTaken Zero { get; } = new(0, 0, new LatencyHistogram().ReadCounts());

        /// <summary>
        /// Reads a side; an error can be counted a moment before its request, so at most as many
        /// errors as requests are taken, and the rest wait for the next report.
        /// </summary>
        public static SideTaken Read(SideCounters side, SideTaken earlier)
        {
            var requests = side.Requests;
            var errors = Math.Min(side.Errors, earlier.Errors + (requests - earlier.Requests));
            return new SideTaken(requests, errors, side.Latency.ReadCounts());
        }

        public SideResults Since(SideTaken earlier)
        {
            var latency = HistogramSnapshot.Between(earlier.Latency, Latency);
            return new SideResults(Requests - earlier.Requests, Errors - earlier.Errors, latency.Count == 0 ? null : latency.ToBytes());
        }
    }

    private sealed record Taken(SideTaken Legacy, SideTaken Candidate, long Equal, long Divergent, long CandidateErrors)
    {
        public static Taken Zero { get; } = new(SideTaken.Zero, SideTaken.Zero, 0, 0, 0);

        public static Taken Read(MigrationCounters counters, Taken earlier) => new(
            SideTaken.Read(counters.Legacy, earlier.Legacy),
            SideTaken.Read(counters.Candidate, earlier.Candidate),
            counters.Shadow.Equal,
            counters.Shadow.Divergent,
            counters.Shadow.CandidateErrors);

        public MigrationResults Since(string name, Taken earlier)
        {
            var divergent = Divergent - earlier.Divergent;
            return new MigrationResults(
                name,
                Legacy.Since(earlier.Legacy),
                Candidate.Since(earlier.Candidate),
                new ShadowResults(Equal - earlier.Equal + divergent, divergent, CandidateErrors - earlier.CandidateErrors));
        }
    }
}
