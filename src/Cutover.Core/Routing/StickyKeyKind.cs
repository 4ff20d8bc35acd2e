namespace Cutover.Core.Routing;

/// <summary>Where the sticky key of a request comes from.</summary>
public enum StickyKeyKind
{
    /// <summary>No configured key: Cutover's own cookie, issued on the first visit, keeps a browser on its side.</summary>
    Cookie,

    /// <summary>A request header, such as X-User-Id.</summary>
    Header,

    /// <summary>A named cookie the application already sets, such as a session id.</summary>
    NamedCookie,

    /// <summary>A query-string parameter.</summary>
    Query,

    /// <summary>The client's IP address (after X-Forwarded-For is not trusted: the connection's address).</summary>
    ClientIp,
}
