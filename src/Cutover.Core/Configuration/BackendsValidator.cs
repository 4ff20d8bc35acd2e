using Cutover.Core.Routing;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks the backends a request can go to (a migration's <c>legacy</c> and <c>candidate</c>,
/// the file's <c>fallback</c>) and a migration's <c>timeouts</c> for them: one rule for what a
/// backend may be, wherever it is written.
/// </summary>
internal static class BackendsValidator
{
    /// <summary>
    /// A migration's side, which must be given; a missing one is reported on the migration's
    /// <paramref name="line"/>. <paramref name="fail"/> gets (line, key, message).
    /// </summary>
    public static (Uri? Url, BackendSettings Settings) Required(BackendConfig? backend, string key, int line, string? folder, DateTimeOffset now, Action<int, string, string> fail)
    {
        if (backend is null)
        {
            fail(line, key, $"is missing; give the {key} backend's base URL (e.g. http://127.0.0.1:9001)");
            return (null, BackendSettings.Default);
        }

        return Backend(backend, key, folder, now, fail);
    }

    /// <summary>
    /// A backend's base URL (http or https with a host, no query, fragment or credentials) and its
    /// settings, which must suit the URL's scheme; <c>tls</c> files are read from <paramref name="folder"/>
    /// (the current folder when null), a client certificate judged at <paramref name="now"/>. <paramref name="fail"/> gets (line, key, message).
    /// </summary>
    public static (Uri? Url, BackendSettings Settings) Backend(BackendConfig backend, string key, string? folder, DateTimeOffset now, Action<int, string, string> fail)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Uri? url = null;
        if (backend.Misshapen)
        {
            return (null, BackendSettings.Default);
        }

        if (string.IsNullOrWhiteSpace(backend.Url))
        {
            fail(backend.Line, $"{key}.url", $"is missing; give the {key} backend's base URL (e.g. url: http://127.0.0.1:9001)");
        }
        else if (ValueRules.IsHttpUrl(backend.Url, out var parsed) && parsed.Query.Length == 0)
        {
            url = parsed;
        }
        else
        {
            fail(backend.Line, key, $"'{backend.Url}' is not a backend URL; use http:// or https:// with a host and optional port and path, no query (e.g. http://127.0.0.1:9001)");
        }

        var protocol = BackendProtocol.Auto;
        if (backend.Protocol is not null && !BackendProtocols.TryParse(backend.Protocol, out protocol))
        {
            fail(backend.Line, $"{key}.protocol", $"'{backend.Protocol}' is not a backend protocol; use {BackendProtocols.List}");
        }
        else if (url is not null && Mismatch(protocol, url) is { } problem)
        {
            fail(backend.Line, $"{key}.protocol", problem);
        }

        var tls = backend.Tls is not { } tlsConfig
            ? null
            : BackendTlsValidator.Validate(tlsConfig, url, key, folder ?? Directory.GetCurrentDirectory(), now, (at, message) => fail(tlsConfig.Line, at, message));
        return (url, new BackendSettings(protocol, tls));
    }

    /// <summary>The silence timeouts of both sides, each defaulting on its own (legacy is given longer, see <see cref="ConfigValidator.DefaultTimeout"/>).</summary>
    public static (TimeSpan Legacy, TimeSpan Candidate) Timeouts(TimeoutsConfig? timeouts, Action<string, string> fail) =>
        (ValueRules.Timeout(timeouts?.Legacy, ConfigValidator.DefaultTimeout, "timeouts.legacy", fail),
         ValueRules.Timeout(timeouts?.Candidate, ConfigValidator.DefaultCandidateTimeout, "timeouts.candidate", fail));

    /// <summary>Why a protocol cannot be spoken over the URL's scheme, or null when it can.</summary>
    private static string? Mismatch(BackendProtocol protocol, Uri url) => (protocol, url.Scheme == Uri.UriSchemeHttps) switch
    {
        (BackendProtocol.H2, false) =>
            $"h2 is HTTP/2 over TLS, but '{url}' is plain http; use h2c for HTTP/2 in the clear, or make the URL https://{url.Authority}{url.AbsolutePath}",
        (BackendProtocol.H2c, true) =>
            $"h2c is HTTP/2 in the clear, but '{url}' is https; use h2 for HTTP/2 over TLS, or make the URL http://{url.Authority}{url.AbsolutePath}",
        _ => null,
    };
}
