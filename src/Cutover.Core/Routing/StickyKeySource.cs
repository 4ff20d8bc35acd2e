namespace Cutover.Core.Routing;

/// <summary>
/// The parsed form of a migration's <c>stickyBy</c>: <c>header:NAME</c>, <c>cookie:NAME</c>,
/// <c>query:NAME</c> or <c>client-ip</c>. When the named source is missing from a request the
/// data plane falls back to Cutover's own cookie, so every request has a stable key.
/// </summary>
/// <param name="Kind">Where the key is read from.</param>
/// <param name="Name">The header, cookie or query parameter name; empty for <see cref="StickyKeyKind.ClientIp"/> and the built-in cookie.</param>
public sealed record StickyKeySource(StickyKeyKind Kind, string Name)
{
    /// <summary>The name of the cookie Cutover issues to requests that carry no sticky key.</summary>
    public const string CutoverCookieName = "cutover-id";

    /// <summary>The default: Cutover's own cookie.</summary>
    public static StickyKeySource Default { get; } = new(StickyKeyKind.Cookie, CutoverCookieName);

    /// <summary>The forms users may write, for error messages.</summary>
    public const string AllowedForms = "header:NAME, cookie:NAME, query:NAME or client-ip";

    /// <summary>Parses the <c>stickyBy</c> text; returns null when it is malformed.</summary>
    public static StickyKeySource? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        var trimmed = text.Trim();
        if (trimmed.Equals("client-ip", StringComparison.OrdinalIgnoreCase))
        {
            return new StickyKeySource(StickyKeyKind.ClientIp, string.Empty);
        }

        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == trimmed.Length - 1)
        {
            return null;
        }

        var name = trimmed[(colon + 1)..].Trim();
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ';' or ',' or '='))
        {
            return null;
        }

        return trimmed[..colon].Trim().ToLowerInvariant() switch
        {
            "header" => new StickyKeySource(StickyKeyKind.Header, name),
            "cookie" => new StickyKeySource(StickyKeyKind.NamedCookie, name),
            "query" => new StickyKeySource(StickyKeyKind.Query, name),
            _ => null,
        };
    }

    /// <summary>The text form, as written in config.</summary>
    public override string ToString() => Kind switch
    {
        StickyKeyKind.Cookie => "cookie:" + CutoverCookieName,
        StickyKeyKind.Header => "header:" + Name,
        StickyKeyKind.NamedCookie => "cookie:" + Name,
        StickyKeyKind.Query => "query:" + Name,
        _ => "client-ip",
    };
}
