using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Configuration;

/// <summary>
/// The rules of a code-level migration (<c>kind: code</c>): it has no route and no backends, so
/// the keys that only mean something to the proxy are refused with an error saying so, and its
/// definition carries placeholders the proxy never routes by (it is left out of every routing snapshot).
/// </summary>
public static class CodeMigrations
{
    /// <summary>The match of a code-level migration: never in a routing snapshot, so never matched.</summary>
    public static MatchModel Match { get; } = new("/", null, [], []);

    /// <summary>What the admin API shows for a code-level migration's sides.</summary>
    public const string InProcess = "in-process";

    /// <summary>The placeholder address of both sides: an application's code, not a backend.</summary>
    public static Uri Side { get; } = new("inprocess://application/");

    private const string Why = "a code-level migration (kind: code) runs both sides inside the application through Cutover.Client, so the proxy has nothing to route";

    /// <summary>Refuses the keys that only the proxy reads.</summary>
    public static void CheckKeys(MigrationConfig migration, Action<string, string> fail)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(fail);
        void Refuse(bool present, string key, string instead)
        {
            if (present)
            {
                fail(key, $"is not allowed: {Why}; {instead}");
            }
        }

        Refuse(migration.Match is not null, "match", "remove it, or remove 'kind: code' to route requests");
        Refuse(migration.Legacy is not null, "legacy", "remove it: the legacy side is the code passed as legacy to RunAsync");
        Refuse(migration.Candidate is not null, "candidate", "remove it: the candidate side is the code passed as candidate to RunAsync");
        Refuse(migration.StickyBy is not null, "stickyBy", "remove it: the application gives the sticky key with each call");
        Refuse(migration.Timeouts is not null, "timeouts", "remove it: the application sets its own timeouts");
        Refuse(migration.Shadow is not null, "shadow", "remove it: the application chooses how shadow runs are made");
        Refuse(migration.SideHeader is not null, "sideHeader", "remove it: no answer passes through the proxy to carry the header");
        Refuse(migration.Override is not null, "override", "remove it: the application chooses the side of each call");
        Refuse(migration.Failover is not null, "failover", "remove it: the application's candidate falls back to its legacy code through the SDK's own fallback");
        Refuse(migration.Checks?.Health is not null, "checks.health", "remove it: there are no backends to ask; custom checks (checks.http) still run");
    }

    /// <summary>Refuses the plan steps that send requests through the proxy.</summary>
    public static void CheckPlan(RolloutPlan? plan, Action<string, string> fail)
    {
        ArgumentNullException.ThrowIfNull(fail);
        if (plan?.Steps.Any(s => s is SmokeStep) == true)
        {
            fail("plan.steps", $"has a smoke step, which sends requests to the candidate backend: {Why}; use a shadow step or a weight step with gates instead");
        }
    }
}
