namespace Cutover.Kernel.Routing;

/// <summary>
/// Where a migration's traffic goes. Modes are ordered along a migration's life: every request
/// starts on <see cref="Legacy"/> and ends on the candidate once the legacy side is retired.
/// </summary>
public enum MigrationMode
{
    /// <summary>Every request goes to the legacy backend. The safe state a rollback returns to.</summary>
    Legacy,

    /// <summary>Users are served by legacy while copies of their requests go to the candidate.</summary>
    Shadow,

    /// <summary>A sticky share of users, the weight, is served by the candidate; the rest by legacy.</summary>
    Canary,

    /// <summary>Every request goes to the candidate; legacy is still running and a rollback is one call away.</summary>
    Candidate,

    /// <summary>The candidate serves everything and the legacy side is gone; rollback is refused.</summary>
    Retired,
}
