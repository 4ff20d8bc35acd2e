using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cutover.Server.Forwarding;

/// <summary>
/// The path and query a request is sent on with: the target as the client sent it, escapes and
/// all. ASP.NET Core decodes the path before Cutover sees it (every escape but %2F), so the
/// decoded path cannot tell <c>/a%2Fb</c> from <c>/a%252Fb</c>, and escaping it again, as YARP
/// does by default, sends an encoded slash on as <c>%252F</c>. Only dot segments (<c>.</c> and
/// <c>..</c>, plain or escaped) are resolved, as Kestrel resolved them before Cutover routed the
/// request, so a backend never gets a path that climbs out of the prefix it was routed by.
/// </summary>
internal static class RequestTarget
{
    /// <summary>Lets a target through as given: without it, <see cref="Uri"/> unescapes and re-escapes parts of the path.</summary>
    private static readonly UriCreationOptions AsGiven = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>The client's own path and query with dot segments resolved, or null for a target that is not a path (such as <c>*</c>).</summary>
    public static string? AsSent(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            return null;
        }

        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? raw.AsSpan(1) : raw.AsSpan(1, queryStart - 1);
        if (!HasDotSegment(path))
        {
            return raw;
        }

        var segments = path.ToString().Split('/');
        var kept = new List<string>(segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            if (!IsDotSegment(segments[i]))
            {
                kept.Add(segments[i]);
                continue;
            }

            if (IsParent(segments[i]) && kept.Count > 0)
            {
                kept.RemoveAt(kept.Count - 1);
            }

            // A path ending in a dot segment names a folder: "/a/b/.." is "/a/".
            if (i == segments.Length - 1)
            {
                kept.Add(string.Empty);
            }
        }

        return "/" + string.Join('/', kept) + (queryStart < 0 ? string.Empty : raw[queryStart..]);
    }

    /// <summary>The path and query to send: the client's own, else the routed path escaped as YARP escapes it.</summary>
    public static string Of(HttpContext context) =>
        AsSent(context) ?? context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();

    /// <summary>Whether the path of <paramref name="target"/> holds an escape (<c>%</c>); the query is forwarded as sent either way.</summary>
    public static bool HasEscapes(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        return (queryStart < 0 ? target.AsSpan() : target.AsSpan(0, queryStart)).Contains('%');
    }

    /// <summary>A backend's address (which may hold a path of its own) joined with a target, kept byte for byte.</summary>
    public static Uri Address(string prefix, string target) =>
        new(prefix.EndsWith('/') && target.StartsWith('/') ? prefix + target[1..] : prefix + target, AsGiven);

    private static bool HasDotSegment(ReadOnlySpan<char> path)
    {
        foreach (var range in path.Split('/'))
        {
            if (IsDotSegment(path[range]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDotSegment(ReadOnlySpan<char> segment) =>
        segment is "." || segment.Equals("%2e", StringComparison.OrdinalIgnoreCase) || IsParent(segment);

    private static bool IsParent(ReadOnlySpan<char> segment) =>
        segment is ".."
        || segment.Equals("%2e%2e", StringComparison.OrdinalIgnoreCase)
        || segment.Equals(".%2e", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("%2e.", StringComparison.OrdinalIgnoreCase);
}
