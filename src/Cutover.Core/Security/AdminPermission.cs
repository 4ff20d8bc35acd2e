namespace Cutover.Core.Security;

/// <summary>
/// What an admin endpoint needs of its caller. Every endpoint declares one, so a new endpoint
/// cannot be reached by a role nobody chose for it.
/// </summary>
public enum AdminPermission
{
    /// <summary>Anyone who reaches the port: liveness and readiness probes, which show no state.</summary>
    Public,

    /// <summary>The migrations' state and the event stream: what an SDK application follows.</summary>
    ReadState,

    /// <summary>Every other read: metrics, divergences, audit, fleet, backfills, checks.</summary>
    Read,

    /// <summary>Sending an SDK application's results (<c>POST /api/results</c>).</summary>
    Report,

    /// <summary>Changing a migration's traffic or plan, and applying a config file.</summary>
    Operate,

    /// <summary>Managing tokens.</summary>
    Administer,
}
