namespace Cutover.Core.Routing;

/// <summary>
/// The HTTP version Cutover speaks to a backend. A backend that serves only HTTP/2 in the clear (a
/// gRPC service, typically) cannot be reached by the default, which speaks HTTP/1.1 over plain
/// http, so a side says what it needs.
/// </summary>
public enum BackendProtocol
{
    /// <summary>Over https, HTTP/2 or HTTP/1.1 as the backend chooses by ALPN; over http, HTTP/1.1. The default.</summary>
    Auto,

    /// <summary>HTTP/1.1 and nothing else, over http or https.</summary>
    Http1,

    /// <summary>HTTP/2 over TLS, and nothing else: a backend that does not offer h2 by ALPN fails the request. https only.</summary>
    H2,

    /// <summary>HTTP/2 in the clear with prior knowledge (no upgrade), and nothing else. http only.</summary>
    H2c,
}

/// <summary>The config file's names of the protocols.</summary>
public static class BackendProtocols
{
    /// <summary>The names allowed, for error messages.</summary>
    public const string List = "auto (the default: h2 or http/1.1 by ALPN over https, HTTP/1.1 over http), http1, h2 (HTTP/2 over https) or h2c (HTTP/2 in the clear over http)";

    /// <summary>The name of a protocol, as in the config file.</summary>
    public static string ToWire(this BackendProtocol protocol) => protocol switch
    {
        BackendProtocol.Http1 => "http1",
        BackendProtocol.H2 => "h2",
        BackendProtocol.H2c => "h2c",
        _ => "auto",
    };

    /// <summary>Parses a protocol's name.</summary>
    public static bool TryParse(string? text, out BackendProtocol protocol)
    {
        switch (text?.Trim())
        {
            case "auto": protocol = BackendProtocol.Auto; return true;
            case "http1": protocol = BackendProtocol.Http1; return true;
            case "h2": protocol = BackendProtocol.H2; return true;
            case "h2c": protocol = BackendProtocol.H2c; return true;
            default: protocol = BackendProtocol.Auto; return false;
        }
    }
}
