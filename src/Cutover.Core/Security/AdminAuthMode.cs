namespace Cutover.Core.Security;

/// <summary>How the admin API tells who calls it (the config's <c>adminAuth</c>).</summary>
public enum AdminAuthMode
{
    /// <summary>
    /// No tokens: allowed only on a loopback admin address, where every caller is the local user
    /// (<c>local</c>), and a change must come from a program, never a web page (JSON content
    /// type, no foreign <c>Origin</c>, the admin's own <c>Host</c>).
    /// </summary>
    None,

    /// <summary>Every call but the health probes carries <c>Authorization: Bearer TOKEN</c>, and the token's role decides.</summary>
    Tokens,
}
