using System.Net.Http.Headers;
using Cutover.Core.Routing;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;
using Cutover.Server.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>
/// YARP's default copying of headers, the target as the client sent it (<see cref="RequestTarget"/>),
/// plus what a proxy in front of someone else's service owes it: who the client is, by the one
/// rule of <see cref="ForwardedHeaders"/>, and the sticky cookie when this request was given a
/// new sticky id; for a migration with <c>sideHeader: true</c>, the <see cref="SideHeader"/>. A request to a side of a migration that counts unanswered requests gets an
/// instance of its own, which takes the request off the side's wheel of
/// <see cref="UnansweredRequests"/> the moment its answer begins, and so does a request to a
/// candidate whose failover looks at its answers before they are passed on; the others share one
/// (one per side for the migrations that name the side).
/// </summary>
/// <param name="forwarded">The forwarded-header policy.</param>
/// <param name="unanswered">The wheel the request was put on when sent, or null for the shared instance (the fallback, and migrations that do not count unanswered requests).</param>
/// <param name="sent">The second it was sent in.</param>
/// <param name="side">The side named in the answer's <see cref="SideHeader"/>, or null to name none.</param>
/// <param name="failover">The request's failover when it refuses some answers of the candidate (<see cref="FailoverAttempt.Refuses"/>), whose headers are then not copied.</param>
internal sealed class CutoverTransformer(ForwardedHeaders forwarded, UnansweredRequests? unanswered = null, long sent = 0, Side? side = null, FailoverAttempt? failover = null) : HttpTransformer
{
    private static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(365);

    private bool? _countedUnanswered;

    /// <summary>
    /// Takes the request off the wheel if its answer has not begun yet (it ended without one) and
    /// says whether a sweep had already counted it as unanswered, so its end is not counted twice.
    /// </summary>
    public bool CountedUnanswered() => _countedUnanswered ??= unanswered?.Answered(sent) ?? false;

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        // A target without escapes is what YARP built from the decoded path already; only one with
        // escapes (such as %2F, which YARP would send as %252F) needs its address built again.
        if (RequestTarget.AsSent(httpContext) is { } target && RequestTarget.HasEscapes(target))
        {
            proxyRequest.RequestUri = RequestTarget.Address(destinationPrefix, target);
        }

        var headers = proxyRequest.Headers;
        var trusted = forwarded.Trusts(httpContext);
        if (!trusted)
        {
            RemoveClaims(headers);
        }

        // One value at a time rather than ForwardedHeaders.Of: this runs on every request, and an enumerator is an allocation.
        Replace(headers, ForwardedHeaders.For, ForwardedHeaders.ForOf(httpContext, trusted));
        Replace(headers, ForwardedHeaders.Proto, ForwardedHeaders.ProtoOf(httpContext, trusted));
        Replace(headers, ForwardedHeaders.Host, ForwardedHeaders.HostOf(httpContext, trusted));
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null && unanswered is not null)
        {
            CountedUnanswered();
        }

        // Refused: the forwarder drops the answer, and the request is sent to legacy instead.
        if (proxyResponse is not null && failover?.Refuses(proxyResponse) == true)
        {
            return false;
        }

        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (side is { } served)
        {
            SideHeader.Write(httpContext.Response, served);
        }

        if (httpContext.Features.Get<IssuedStickyCookie>() is { } cookie)
        {
            var header = new SetCookieHeaderValue(StickyKeySource.CutoverCookieName, cookie.Id)
            {
                Path = "/",
                MaxAge = CookieLifetime,
                HttpOnly = true,
                SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Lax,
                Secure = forwarded.IsHttps(httpContext),
            };
            httpContext.Response.Headers.Append(HeaderNames.SetCookie, header.ToString());
        }

        return proceed;
    }

    /// <summary>
    /// Drops the client's claims about itself that YARP copied over. The copied headers are read
    /// without validation, which allocates nothing (the request's own header names would be a new
    /// set each time); a list is made only in the rare request that carries a claim.
    /// </summary>
    private static void RemoveClaims(HttpRequestHeaders headers)
    {
        List<string>? claims = null;
        foreach (var (name, _) in headers.NonValidated)
        {
            if (ForwardedHeaders.IsClaim(name))
            {
                (claims ??= []).Add(name);
            }
        }

        if (claims is null)
        {
            return;
        }

        foreach (var name in claims)
        {
            headers.Remove(name);
        }
    }

    private static void Replace(HttpRequestHeaders headers, string name, string? value)
    {
        if (value is not null)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, value);
        }
    }
}
