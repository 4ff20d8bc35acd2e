using Cutover.Core.Comparison;
using Cutover.Core.Routing;

namespace Cutover.Server.Shadow;

/// <summary>
/// A request served by legacy, kept so it can be sent again to the candidate off the request
/// path: what was asked, and what legacy answered.
/// </summary>
/// <param name="Migration">The model the request was routed by.</param>
/// <param name="Endpoint">The endpoint the request belongs to, such as <c>GET /orders/{id}</c>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The path and query, as sent to legacy.</param>
/// <param name="Headers">The request headers to send again, hop-by-hop ones left out.</param>
/// <param name="Body">The request body, buffered.</param>
/// <param name="Legacy">Legacy's answer, as the user got it.</param>
/// <param name="LegacyLatency">How long legacy took.</param>
/// <param name="Time">When the request arrived.</param>
internal sealed record ShadowCopy(
    MigrationModel Migration,
    string Endpoint,
    string Method,
    string Target,
    IReadOnlyList<KeyValuePair<string, string[]>> Headers,
    ReadOnlyMemory<byte> Body,
    CapturedResponse Legacy,
    TimeSpan LegacyLatency,
    DateTimeOffset Time);
