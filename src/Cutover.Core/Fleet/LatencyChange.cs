using System.Text.Json;
using Cutover.Core.Rollout;
using Cutover.Core.State;

namespace Cutover.Core.Fleet;

/// <summary>
/// How the candidate's latency compared with legacy's in the window a plan judged when it moved
/// on, taken from the evidence kept with the audit row (<see cref="Evidence.Of"/>): the only
/// record of both sides side by side that outlives the metrics, which roll away within the hour.
/// </summary>
/// <param name="At">When the plan moved on (the audit row's time).</param>
/// <param name="LegacyRequests">Legacy's requests in the window.</param>
/// <param name="CandidateRequests">The candidate's requests in the window.</param>
/// <param name="LegacyP50Ms">Legacy's median latency, in milliseconds.</param>
/// <param name="CandidateP50Ms">The candidate's median latency, in milliseconds.</param>
/// <param name="LegacyP99Ms">Legacy's 99th percentile latency, in milliseconds.</param>
/// <param name="CandidateP99Ms">The candidate's 99th percentile latency, in milliseconds.</param>
public sealed record LatencyChange(
    DateTimeOffset At,
    long LegacyRequests,
    long CandidateRequests,
    double LegacyP50Ms,
    double CandidateP50Ms,
    double LegacyP99Ms,
    double CandidateP99Ms)
{
    /// <summary>The candidate's median against legacy's, in percent: -20 is 20% faster, +50 is half again as slow.</summary>
    public double P50Percent => Percent(LegacyP50Ms, CandidateP50Ms);

    /// <summary>The candidate's 99th percentile against legacy's, in percent.</summary>
    public double P99Percent => Percent(LegacyP99Ms, CandidateP99Ms);

    /// <summary>
    /// The latency change of the newest row that moved a plan on (<c>step</c> or <c>promote</c>)
    /// with both sides at or above the plan's minimum samples in the judged window; null when
    /// there is none (a plan forced through, a candidate that never served beside legacy, a
    /// migration moved by hand). A step at 100% leaves legacy without traffic, so the figures
    /// usually come from the last step before it.
    /// </summary>
    /// <param name="rows">Audit rows of one migration, in any order.</param>
    public static LatencyChange? Latest(IEnumerable<AuditEntry> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows
            .Where(r => r.Action is "step" or "promote" && r.Evidence is not null)
            .OrderByDescending(r => r.Id)
            .Select(Read)
            .FirstOrDefault(c => c is not null);
    }

    private static LatencyChange? Read(AuditEntry row)
    {
        try
        {
            using var document = JsonDocument.Parse(row.Evidence!);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("minSamples", out var minimum) || !minimum.TryGetInt64(out var minSamples)
                || Side(root, "legacy") is not { } legacy || Side(root, "candidate") is not { } candidate
                || legacy.Requests < minSamples || candidate.Requests < minSamples
                || legacy.P50Ms <= 0 || legacy.P99Ms <= 0)
            {
                return null;
            }

            return new LatencyChange(row.Time, legacy.Requests, candidate.Requests, legacy.P50Ms, candidate.P50Ms, legacy.P99Ms, candidate.P99Ms);
        }
        catch (JsonException)
        {
            // Evidence this build cannot read says nothing about latency; an older row is tried instead.
            return null;
        }
    }

    private static (long Requests, double P50Ms, double P99Ms)? Side(JsonElement root, string name) =>
        root.TryGetProperty(name, out var side) && side.ValueKind == JsonValueKind.Object
        && side.TryGetProperty("requests", out var requests) && requests.TryGetInt64(out var count)
        && side.TryGetProperty("p50Ms", out var p50) && p50.ValueKind == JsonValueKind.Number
        && side.TryGetProperty("p99Ms", out var p99) && p99.ValueKind == JsonValueKind.Number
            ? (count, p50.GetDouble(), p99.GetDouble())
            : null;

    private static double Percent(double legacy, double candidate) => ((candidate / legacy) - 1) * 100;
}
