namespace Cutover.Core.Security;

/// <summary>
/// The header every admin API answer carries, so the CLI and the SDK can tell Cutover's admin API
/// from the data plane (which forwards whatever it is sent to a backend) or another service.
/// </summary>
public static class AdminMarker
{
    /// <summary>The header's name.</summary>
    public const string Header = "X-Cutover-Admin";

    /// <summary>The header's value: the admin API's version.</summary>
    public const string Value = "1";
}
