namespace Cutover.Core.Routing;

/// <summary>
/// The validated request match of a migration. Matching is case-insensitive for hosts, paths and
/// methods (as in ASP.NET Core routing) and exact for header values.
/// </summary>
/// <param name="PathPrefix">A path prefix matched on segment boundaries: <c>/orders</c> matches <c>/orders</c> and <c>/orders/7</c>, not <c>/ordersx</c>. "/" matches all paths.</param>
/// <param name="Host">The Host header without port, or null for any host.</param>
/// <param name="Methods">Upper-case methods, or empty for any method.</param>
/// <param name="Headers">Headers that must be present with exactly these values.</param>
public sealed record MatchModel(
    string PathPrefix,
    string? Host,
    IReadOnlyList<string> Methods,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>Whether a request path falls under <see cref="PathPrefix"/>.</summary>
    public bool MatchesPath(ReadOnlySpan<char> path)
    {
        var prefix = PathPrefix.AsSpan().TrimEnd('/');
        if (prefix.IsEmpty)
        {
            return true;
        }

        return path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && (path.Length == prefix.Length || path[prefix.Length] == '/');
    }

    /// <summary>Whether a request method is allowed.</summary>
    public bool MatchesMethod(string method)
    {
        if (Methods.Count == 0)
        {
            return true;
        }

        foreach (var allowed in Methods)
        {
            if (string.Equals(allowed, method, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the request host (without port) is allowed.</summary>
    public bool MatchesHost(ReadOnlySpan<char> host) => Host is null || host.Equals(Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Orders matches from most to least specific so the first match wins: longest path prefix,
    /// then a host, then methods, then more headers.
    /// </summary>
    internal static int CompareSpecificity(MatchModel a, MatchModel b)
    {
        var byPath = b.PathPrefix.TrimEnd('/').Length.CompareTo(a.PathPrefix.TrimEnd('/').Length);
        if (byPath != 0)
        {
            return byPath;
        }

        var byHost = (b.Host is null ? 0 : 1).CompareTo(a.Host is null ? 0 : 1);
        if (byHost != 0)
        {
            return byHost;
        }

        var byMethods = (b.Methods.Count == 0 ? 0 : 1).CompareTo(a.Methods.Count == 0 ? 0 : 1);
        return byMethods != 0 ? byMethods : b.Headers.Count.CompareTo(a.Headers.Count);
    }

    /// <summary>A canonical text of the match, equal for two matches that accept exactly the same requests.</summary>
    public string Canonical =>
        $"host={Host?.ToLowerInvariant() ?? "*"} path={PathPrefix.TrimEnd('/').ToLowerInvariant()} " +
        $"methods={string.Join(',', Methods.Order(StringComparer.Ordinal))} " +
        $"headers={string.Join(',', Headers.Select(h => h.Key.ToLowerInvariant() + "=" + h.Value).Order(StringComparer.Ordinal))}";
}
