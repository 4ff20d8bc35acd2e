namespace Cutover.Core.Checks;

/// <summary>
/// The names of the built-in pre-migration checks, as reports show them. They are part of the
/// admin API and the CLI output, and a custom check may not take one of them.
/// </summary>
public static class CheckNames
{
    /// <summary>The legacy backend's health endpoint answers 2xx.</summary>
    public const string HealthLegacy = "health-legacy";

    /// <summary>The candidate backend's health endpoint answers 2xx.</summary>
    public const string HealthCandidate = "health-candidate";

    /// <summary>Traffic can go back to legacy: the migration is not retired and legacy answers.</summary>
    public const string RollbackPath = "rollback-path";

    /// <summary>Requests reached the migration recently, so a rollout has a baseline to judge against.</summary>
    public const string MetricsFlowing = "metrics-flowing";

    /// <summary>Every built-in name, in the order reports list them.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = [HealthLegacy, HealthCandidate, RollbackPath, MetricsFlowing];
}
