namespace Cutover.Server.Outbound;

/// <summary>
/// Says in words why a backend could not be spoken to when the cause is the way Cutover speaks
/// to it (the HTTP version of its <c>protocol</c>, its <c>tls</c>) rather than the backend being down, so the 502,
/// the log line, a shadow copy's error and a failed check all point at the setting to change.
/// The sentences name no address: they reach end users in a problem body.
/// </summary>
internal static class TransportFailure
{
    // HTTP/2's HTTP_1_1_REQUIRED: the server refuses HTTP/2 and wants HTTP/1.1 (RFC 9113, section 7).
    private const long Http11Required = 0xd;

    /// <summary>What went wrong in the backend's terms (to follow "the legacy backend ..."), or null when the failure is not one of these.</summary>
    public static string? Explain(Exception? exception)
    {
        if (exception is not HttpRequestException failure)
        {
            return null;
        }

        return failure.HttpRequestError switch
        {
            HttpRequestError.HttpProtocolError when Innermost(failure) is HttpProtocolException { ErrorCode: Http11Required } =>
                "speaks only HTTP/1.1 and refused HTTP/2 (HTTP_1_1_REQUIRED); set its protocol to http1 or auto",
            // An HTTP/2 peer that ended the request with an error code spoke HTTP/2 well enough: it broke the request off.
            HttpRequestError.HttpProtocolError when Innermost(failure) is HttpProtocolException { ErrorCode: var code } =>
                $"broke off the request (HTTP/2 error code {code})",
            HttpRequestError.VersionNegotiationError =>
                "did not agree to the HTTP version its protocol asks for (over TLS, it offered no h2 by ALPN); set its protocol to auto or http1, or turn HTTP/2 on in the backend",
            HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse =>
                "answered in another HTTP version than the one Cutover spoke; check its protocol (auto, http1, h2 or h2c) against what it serves",
            // A crash does this too, but so does a server that serves only HTTP/2 in the clear when it gets HTTP/1.1, and nothing else says why.
            HttpRequestError.ResponseEnded =>
                "closed the connection without an answer (a backend that serves only HTTP/2 in the clear does that to HTTP/1.1: then set its protocol to h2c)",
            HttpRequestError.SecureConnectionError =>
                $"failed the TLS handshake ({Handshake(failure).Message.TrimEnd('.')}); if its certificate comes from a private CA, give that CA's PEM file as its tls.ca, and if it asks for a client certificate, give tls.clientCertificate and tls.clientKey",
            _ => null,
        };
    }

    /// <summary>The TLS layer's own reason ("... errors in the certificate chain: UntrustedRoot"), which says more than the socket error under it.</summary>
    private static Exception Handshake(Exception e) =>
        e is System.Security.Authentication.AuthenticationException || e.InnerException is null ? e : Handshake(e.InnerException);

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
