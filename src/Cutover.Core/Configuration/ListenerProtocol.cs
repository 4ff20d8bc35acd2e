namespace Cutover.Core.Configuration;

/// <summary>
/// Which HTTP a plain <c>http://</c> listener speaks (<c>listenProtocol</c>, <c>adminProtocol</c>).
/// A cleartext connection carries no ALPN, so a listener cannot learn from the handshake whether a
/// client speaks HTTP/2: it is told. Over <c>https://</c> ALPN decides and this stays <see cref="Http1"/>.
/// </summary>
public enum ListenerProtocol
{
    /// <summary>HTTP/1.1 (<c>http1</c>), the default: what browsers and most clients send in clear. Over https: HTTP/1.1 and HTTP/2, chosen by ALPN.</summary>
    Http1,

    /// <summary>HTTP/2 with prior knowledge (<c>h2c</c>) only, as gRPC clients and <c>curl --http2-prior-knowledge</c> send it; HTTP/1.1 clients are not understood.</summary>
    H2c,
}
