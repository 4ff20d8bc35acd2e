using Cutover.Kernel.Comparison;

namespace Cutover.Core.Shadow;

/// <summary>
/// One divergent pair kept as evidence: the request, both answers with headers and latency, and
/// the differences. Everything in it has been redacted before it leaves the shadow path. A sample
/// of a code-level migration (reported by the SDK) has no request: <paramref name="Call"/> says
/// which call it was, and the two answers hold the results' text with no status, headers or latency.
/// </summary>
/// <param name="Id">The store's id; 0 until stored.</param>
/// <param name="Endpoint">The endpoint, such as <c>GET /orders/{id}</c>.</param>
/// <param name="Path">The first differing path, which the sample illustrates.</param>
/// <param name="Time">When the request was served.</param>
/// <param name="Request">The request as mirrored; null for a code-level call.</param>
/// <param name="Legacy">Legacy's answer, which the user got.</param>
/// <param name="Candidate">The candidate's answer to the copy.</param>
/// <param name="Differences">The differences listed, at most <see cref="ComparisonRules.MaxDifferences"/>.</param>
/// <param name="TotalDifferences">How many differences there were in all.</param>
/// <param name="Call">The code-level call the sample comes from; null for a proxied request.</param>
public sealed record DivergenceSample(
    long Id,
    string Endpoint,
    string Path,
    DateTimeOffset Time,
    SampleRequest? Request,
    SampleResponse Legacy,
    SampleResponse Candidate,
    IReadOnlyList<Difference> Differences,
    int TotalDifferences,
    SampleCall? Call = null);

/// <summary>The code-level call a sample comes from, as the SDK reported it.</summary>
/// <param name="App">The application that made the call.</param>
/// <param name="StickyKey">The call's sticky key, or null when it had none.</param>
public sealed record SampleCall(string App, string? StickyKey);

/// <summary>A mirrored request as kept in a sample.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The path and query.</param>
/// <param name="Headers">Request headers, sensitive ones redacted.</param>
/// <param name="Body">The body as text (redacted), a description for binary bodies, or empty.</param>
/// <param name="BodyTruncated">Whether the body was longer than what a sample keeps.</param>
public sealed record SampleRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body, bool BodyTruncated);

/// <summary>An answer as kept in a sample.</summary>
/// <param name="Status">The HTTP status code; null for a code-level call's result.</param>
/// <param name="Headers">Response headers, sensitive ones redacted; empty for a code-level call's result.</param>
/// <param name="Body">The body as text (redacted), or a description for binary bodies; a code-level call's result as text (redacted).</param>
/// <param name="BodyTruncated">Whether the body was longer than what a sample keeps.</param>
/// <param name="LatencyMs">How long the side took to answer, in milliseconds; null for a code-level call's result.</param>
public sealed record SampleResponse(int? Status, IReadOnlyDictionary<string, string> Headers, string Body, bool BodyTruncated, double? LatencyMs);
