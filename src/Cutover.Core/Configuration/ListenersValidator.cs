using Cutover.Core.Security;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks the addresses Cutover listens on (<c>listen</c>, <c>admin</c>) and <c>adminAuth</c>,
/// which decides whether the admin address may be reached from other machines.
/// </summary>
internal static class ListenersValidator
{
    /// <summary>How admin callers are authenticated; an admin API open to other machines without tokens is refused.</summary>
    public static AdminAuthMode AdminAuth(CutoverConfig config, Uri? admin, Action<int, string?, string, string> fail)
    {
        var mode = AdminAuthMode.None;
        switch (config.AdminAuth?.Trim())
        {
            case null or "none":
                break;
            case "tokens":
                mode = AdminAuthMode.Tokens;
                break;
            default:
                fail(0, null, "adminAuth", $"'{config.AdminAuth}' is not a way to authenticate admin callers; use none (loopback admin only) or tokens");
                break;
        }

        if (mode == AdminAuthMode.None && admin is not null && !LoopbackAddress.Is(admin))
        {
            fail(0, null, "admin", AdminExposure.Problem(config.Admin));
        }

        return mode;
    }

    /// <summary>
    /// Which HTTP a listener speaks (<paramref name="key"/> is <c>listenProtocol</c> or
    /// <c>adminProtocol</c>): only an http <paramref name="address"/> is told, since over https ALPN decides.
    /// </summary>
    public static ListenerProtocol Protocol(string? text, string key, Uri? address, Action<int, string?, string, string> fail)
    {
        var protocol = ListenerProtocol.Http1;
        switch (text?.Trim())
        {
            case null or "http1":
                break;
            case "h2c":
                protocol = ListenerProtocol.H2c;
                break;
            default:
                fail(0, null, key, $"'{text}' is not a protocol to listen with; use http1 (HTTP/1.1, the default) or h2c (HTTP/2 with prior knowledge only, as gRPC clients send it)");
                return protocol;
        }

        if (protocol == ListenerProtocol.H2c && address?.Scheme == Uri.UriSchemeHttps)
        {
            fail(0, null, key, $"is h2c, but '{address}' is https, where ALPN offers HTTP/2 and HTTP/1.1 to each client; remove {key}, or listen on http://{address.Authority} for HTTP/2 in clear");
        }

        return protocol;
    }

    /// <summary>An address to listen on, http or https (whose certificates <see cref="TlsValidator"/> checks).</summary>
    public static Uri? Address(string text, string key, Action<int, string?, string, string> fail)
    {
        if (Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.AbsolutePath == "/" && uri.Query.Length == 0)
        {
            return uri;
        }

        fail(0, null, key, $"'{text}' is not an address to listen on; use http://HOST:PORT (e.g. http://127.0.0.1:8080) or https://HOST:PORT");
        return null;
    }
}
