namespace Cutover.Core.Configuration;

/// <summary>
/// A backend as written (<c>legacy</c>, <c>candidate</c>, <c>fallback</c>): either its URL alone
/// (<c>legacy: http://127.0.0.1:9001</c>) or a mapping with the URL and how to speak to it
/// (<c>legacy: { url: ..., protocol: h2c }</c>).
/// </summary>
public sealed record BackendConfig
{
    /// <summary>The backend's base URL.</summary>
    public string? Url { get; init; }

    /// <summary>The HTTP version spoken to the backend: auto, http1, h2 or h2c. The default value is auto.</summary>
    public string? Protocol { get; init; }

    /// <summary>How the backend is connected to over https (CA, client certificate); null for the system's trusted CAs.</summary>
    public BackendTlsConfig? Tls { get; init; }

    /// <summary>Whether the value was neither a URL nor a mapping, which was reported as it was read, so nothing else of it is.</summary>
    public bool Misshapen { get; init; }

    /// <summary>The line the backend is written on, for error messages.</summary>
    public int Line { get; init; }
}
