using Cutover.Core.Routing;
using Cutover.Server.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>
/// YARP's default copying of headers, the target as the client sent it (<see cref="RequestTarget"/>), plus what a proxy in front of someone else's service owes
/// it: X-Forwarded-For/Proto/Host so the backends still see the real client, and the sticky
/// cookie when this request was given a new sticky id.
/// </summary>
internal sealed class CutoverTransformer : HttpTransformer
{
    public static CutoverTransformer Instance { get; } = new();

    private static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(365);

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (RequestTarget.AsSent(httpContext) is { } target)
        {
            proxyRequest.RequestUri = RequestTarget.Address(destinationPrefix, target);
        }

        var headers = proxyRequest.Headers;
        if (ForwardedHeaders.ForOf(httpContext) is { } chain)
        {
            headers.Remove(ForwardedHeaders.For);
            headers.TryAddWithoutValidation(ForwardedHeaders.For, chain);
        }

        headers.Remove(ForwardedHeaders.Proto);
        headers.TryAddWithoutValidation(ForwardedHeaders.Proto, httpContext.Request.Scheme);
        if (httpContext.Request.Host.HasValue)
        {
            headers.Remove(ForwardedHeaders.Host);
            headers.TryAddWithoutValidation(ForwardedHeaders.Host, httpContext.Request.Host.Value);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (httpContext.Features.Get<IssuedStickyCookie>() is { } cookie)
        {
            var header = new SetCookieHeaderValue(StickyKeySource.CutoverCookieName, cookie.Id)
            {
                Path = "/",
                MaxAge = CookieLifetime,
                HttpOnly = true,
                SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Lax,
                // Behind a TLS terminator the scheme arrives as X-Forwarded-Proto; Secure only makes the cookie stricter, so trusting it is safe.
                Secure = httpContext.Request.IsHttps || string.Equals(httpContext.Request.Headers[ForwardedHeaders.Proto], "https", StringComparison.OrdinalIgnoreCase),
            };
            httpContext.Response.Headers.Append(HeaderNames.SetCookie, header.ToString());
        }

        return proceed;
    }
}
