using Cutover.Kernel.Shadow;

namespace Cutover.Core.Shadow;

/// <summary>
/// A migration's validated <c>shadow</c> section: which requests are mirrored to the candidate,
/// how much of them is buffered, and how many copies (and bytes) may be in flight or waiting. The limits
/// bound what shadowing can cost the proxy, whatever the candidate does.
/// </summary>
/// <param name="Percent">The share of eligible requests mirrored, 0..100.</param>
/// <param name="Methods">The methods mirrored, upper-case.</param>
/// <param name="MaxBodyBytes">The largest request body buffered for a copy; a larger one is served normally and its copy skipped.</param>
/// <param name="MaxResponseBytes">The most of each answer captured; a candidate answer beyond it is cut and counted as a candidate error.</param>
/// <param name="Timeout">How long the candidate may take to answer a copy in full.</param>
/// <param name="NoiseProbe">Whether each copy is also sent to legacy a second time to learn which paths are noise.</param>
/// <param name="AlsoInCanary">Whether canary mode mirrors the users still served by legacy.</param>
/// <param name="Concurrency">How many copies are sent at once.</param>
/// <param name="QueueSize">How many copies may wait; more are dropped.</param>
/// <param name="MaxQueuedBytes">The most bytes the migration's waiting and in-flight copies may hold (request bodies, legacy's captured answers, headers); more are dropped.</param>
/// <param name="Redaction">What is redacted in everything stored.</param>
public sealed record ShadowPolicy(
    double Percent,
    IReadOnlySet<string> Methods,
    long MaxBodyBytes,
    long MaxResponseBytes,
    TimeSpan Timeout,
    bool NoiseProbe,
    bool AlsoInCanary,
    int Concurrency,
    int QueueSize,
    long MaxQueuedBytes,
    Redaction Redaction)
{
    /// <summary>The methods mirrored by default: the safe ones, which change nothing on the candidate's side.</summary>
    public static IReadOnlySet<string> SafeMethods { get; } = new HashSet<string>(["GET", "HEAD", "OPTIONS"], StringComparer.Ordinal);

    /// <summary>The policy of a migration without a <c>shadow</c> section.</summary>
    public static ShadowPolicy Default { get; } = new(100, SafeMethods, 1024 * 1024, 4 * 1024 * 1024, TimeSpan.FromSeconds(10), false, false, 32, 1000, 64 * 1024 * 1024, Redaction.Default);

    /// <summary>Whether a request with this method may be mirrored; <paramref name="method"/> is as the request gave it.</summary>
    public bool Mirrors(string method) => Methods.Contains(method) || Methods.Contains(method.ToUpperInvariant());
}
