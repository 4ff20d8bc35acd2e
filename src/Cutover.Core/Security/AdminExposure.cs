namespace Cutover.Core.Security;

/// <summary>The one rule, and its message, for an admin API that anyone off this machine could reach.</summary>
public static class AdminExposure
{
    /// <summary>Why an admin address off loopback cannot run without tokens, and what to do instead.</summary>
    public static string Problem(string admin) =>
        $"'{admin}' is not a loopback address, so anyone who reaches it could move traffic, and the admin API has no tokens (adminAuth: none); " +
        "set 'adminAuth: tokens' and make the first admin token with `cutover token create NAME --role admin --store STORE`, or listen on http://127.0.0.1:PORT";
}
