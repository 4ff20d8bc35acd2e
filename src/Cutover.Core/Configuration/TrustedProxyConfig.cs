namespace Cutover.Core.Configuration;

/// <summary>One entry of <c>trustedProxies</c> as written, with its own line, so a bad entry is pointed at rather than its list.</summary>
/// <param name="Text">The entry, such as "10.0.0.0/8" or "127.0.0.1".</param>
/// <param name="Line">The line it is on.</param>
public sealed record TrustedProxyConfig(string Text, int Line);
