namespace Cutover.Kernel.Shadow;

/// <summary>
/// The names that carry credentials in most HTTP APIs, redacted in every stored sample whatever a
/// migration or an application names, so evidence is safe to show before anyone thought of
/// redaction. The proxy's <see cref="Redaction"/> and the SDK's default redactor both start from
/// these lists, and match them ignoring case (<c>Password</c>, <c>PASSWORD</c>, <c>ApiKey</c>).
/// </summary>
public static class RedactedByDefault
{
    /// <summary>Headers whose values are always masked.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Auth-Token", "X-Api-Key"];

    /// <summary>Names always masked as JSON properties at any depth, as query parameters of a request target, and as fields of a form body.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["token", "access_token", "refresh_token", "password", "secret", "apiKey", "api_key", "client_secret"];
}
