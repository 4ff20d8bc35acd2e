using Cutover.Core.Comparison;
using Cutover.Core.Shadow;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Shadow;

namespace Cutover.Server.Shadow;

/// <summary>Turns a divergent pair into the evidence kept in the store, redacted by the migration's rules.</summary>
internal static class SampleBuilder
{
    public static DivergenceSample Build(ShadowCopy copy, CapturedResponse candidate, TimeSpan candidateLatency, JsonComparison comparison, string endpoint, string path)
    {
        var redaction = copy.Migration.Shadow.Redaction;
        var requestHeaders = copy.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))).ToList();
        var requestType = requestHeaders.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty;
        var (body, bodyCut) = redaction.Body(copy.Body, MediaType(requestType), truncated: false);
        return new DivergenceSample(
            0,
            endpoint,
            path,
            copy.Time,
            new SampleRequest(copy.Method, redaction.Target(copy.Target), redaction.Headers(requestHeaders), body, bodyCut),
            Response(copy.Legacy, copy.LegacyLatency, redaction),
            Response(candidate, candidateLatency, redaction),
            comparison.Differences.Select(redaction.Difference).ToList(),
            comparison.Total);
    }

    private static SampleResponse Response(CapturedResponse response, TimeSpan latency, Redaction redaction)
    {
        var (body, cut) = redaction.Body(response.Body, response.MediaType, response.Truncated);
        return new SampleResponse(response.Status, redaction.Headers(response.Headers), body, cut, Math.Round(latency.TotalMilliseconds, 3));
    }

    private static string MediaType(string contentType) => contentType.Split(';')[0].Trim().ToLowerInvariant();
}
