namespace Cutover.Core.Configuration;

/// <summary>
/// A migration's <c>override</c> section as written: a request header and/or cookie with which a
/// tester forces the side that serves a request, and who may use it (client networks, a secret).
/// </summary>
public sealed record OverrideConfig
{
    /// <summary>The request header whose value (legacy or candidate) forces the side, such as Cutover-Route; null for none.</summary>
    public string? Header { get; init; }

    /// <summary>The cookie whose value (legacy or candidate) forces the side, such as cutover-route; null for none.</summary>
    public string? Cookie { get; init; }

    /// <summary>The client networks allowed to use the override, each an address or a CIDR network; null for any client.</summary>
    public IReadOnlyList<TrustedProxyConfig>? Networks { get; init; }

    /// <summary>Where the secret an overriding request must also carry comes from, as written (env:NAME); null for none.</summary>
    public string? Secret { get; init; }

    /// <summary>The line the section starts on, for error messages.</summary>
    public int Line { get; init; }
}
