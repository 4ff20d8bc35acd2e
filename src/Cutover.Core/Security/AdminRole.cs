namespace Cutover.Core.Security;

/// <summary>
/// What a token may do on the admin API. Roles are not a ladder: a <see cref="Reporter"/> (an
/// application's SDK) may report results, which a <see cref="Viewer"/> and an
/// <see cref="Operator"/> may not, and may read only what the SDK needs.
/// </summary>
public enum AdminRole
{
    /// <summary>Every read and the event stream; changes nothing.</summary>
    Viewer,

    /// <summary>What an SDK application needs: the migrations' state, the event stream, and results for code-level migrations.</summary>
    Reporter,

    /// <summary>A viewer who also moves traffic: weight, mode, rollback, promote, pause, resume, abort, retry, apply.</summary>
    Operator,

    /// <summary>Everything, including creating and revoking tokens.</summary>
    Admin,
}
