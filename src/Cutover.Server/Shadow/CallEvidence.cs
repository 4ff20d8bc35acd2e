using Cutover.Core.Shadow;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Link;

namespace Cutover.Server.Shadow;

/// <summary>
/// Turns what an SDK reported for a code-level migration into shadow evidence, merged into the
/// migration's ledger and flushed to the store with the proxy's, so <c>GET .../divergences</c>
/// and <c>cutover diff</c> show it the same way. The calls are grouped under one endpoint,
/// <see cref="Endpoint"/>; a sample has no request, its <see cref="SampleCall"/> names the app
/// and sticky key, and its two answers hold the results' text. The SDK sends samples, not
/// per-path counts, so a path's count is the number of samples that showed it.
/// </summary>
internal static class CallEvidence
{
    /// <summary>The endpoint a code-level migration's comparisons are counted under.</summary>
    public const string Endpoint = "(in-process calls)";

    /// <summary>The path of a sample whose comparer tells only equal from unequal.</summary>
    public const string WholeResult = "(whole result)";

    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    /// <summary>Adds one report's comparisons and samples of <paramref name="migration"/> to its ledger.</summary>
    public static void Merge(ShadowEvidence evidence, string migration, string app, long compared, long divergent, IEnumerable<CallSample> samples, DateTimeOffset now)
    {
        var kept = samples.Select(s => Sample(s, app)).ToList();
        if (compared == 0 && kept.Count == 0)
        {
            return;
        }

        var paths = kept
            .SelectMany(s => s.Differences.Select(d => (Path: JsonPathPattern.Generalize(d.Path), d.Kind)).DistinctBy(d => d.Path).DefaultIfEmpty((Path: WholeResult, Kind: DifferenceKind.ValueChanged)))
            .GroupBy(d => d.Path, StringComparer.Ordinal)
            .Select(g => new PathTally(g.Key, g.Last().Kind, g.Count(), now, now))
            .ToList();
        var tally = new EndpointTally(Endpoint, compared, divergent, now, now, paths);
        evidence.LedgerOf(migration).Merge(new ShadowBatch(migration, [tally], kept, []));
    }

    private static DivergenceSample Sample(CallSample sample, string app)
    {
        var differences = sample.Differences ?? [];
        return new DivergenceSample(
            0,
            Endpoint,
            differences.Count > 0 ? JsonPathPattern.Generalize(differences[0].Path) : WholeResult,
            sample.Time!.Value,
            Request: null,
            new SampleResponse(null, NoHeaders, sample.Legacy!, sample.LegacyTruncated, null),
            new SampleResponse(null, NoHeaders, sample.Candidate!, sample.CandidateTruncated, null),
            differences,
            sample.TotalDifferences,
            new SampleCall(app, sample.StickyKey));
    }
}
