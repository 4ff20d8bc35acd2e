using System.Text;

namespace Cutover.Core.Shadow;

/// <summary>
/// Names the endpoint a request belongs to, for grouping divergences: the method and the path
/// with identifiers replaced by <c>{id}</c>, so <c>GET /orders/42</c> and <c>GET /orders/43</c>
/// are one endpoint, <c>GET /orders/{id}</c>. Identifiers are told by shape (numbers, UUIDs,
/// long hex or mixed letter-and-digit tokens), as nothing else is known about the routes.
/// </summary>
public static class EndpointTemplate
{
    private const string Placeholder = "{id}";
    private const int MaxSegments = 12;

    /// <summary>The endpoint of a request; <paramref name="path"/> is the path without the query.</summary>
    public static string Of(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var text = new StringBuilder(method.ToUpperInvariant()).Append(' ');
        var segments = path.Split('/');
        var count = 0;
        for (var i = 1; i < segments.Length; i++)
        {
            if (++count > MaxSegments)
            {
                text.Append("/…");
                break;
            }

            text.Append('/').Append(IsIdentifier(segments[i]) ? Placeholder : Shorten(segments[i]));
        }

        return segments.Length <= 1 ? text.Append('/').ToString() : text.ToString();
    }

    /// <summary>Whether a path segment looks like an identifier rather than a fixed part of the route.</summary>
    public static bool IsIdentifier(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Length == 0)
        {
            return false;
        }

        if (IsDottedName(segment))
        {
            return false;
        }

        var digits = 0;
        var letters = 0;
        var hex = true;
        foreach (var c in segment)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (char.IsAsciiLetter(c))
            {
                letters++;
                hex &= char.IsAsciiHexDigit(c);
            }
            else if (c is not ('-' or '_' or '.' or '~' or '%'))
            {
                return false;
            }
            else
            {
                hex &= c == '-';
            }
        }

        return digits > 0 && (letters == 0 || (hex && segment.Length >= 8) || segment.Length >= 16);
    }

    // A gRPC service's full name (fleet.v1.Pricing, grpc.health.v1.Health), or a file name: every
    // dotted part begins with a letter. An identifier is not written so; a long name of that shape
    // must not merge the methods of different services under one {id}.
    // Read in place: it runs for every mirrored request.
    private static bool IsDottedName(string segment)
    {
        if (!segment.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < segment.Length; i++)
        {
            if ((i == 0 || segment[i - 1] == '.') && !char.IsAsciiLetter(segment[i]))
            {
                return false;
            }
        }

        return segment[^1] != '.';
    }

    private static string Shorten(string segment) => segment.Length <= 64 ? segment : string.Concat(segment.AsSpan(0, 63), "…");
}
