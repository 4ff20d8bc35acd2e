using Cutover.Core.Checks;
using Cutover.Core.Comparison;
using Cutover.Core.Fleet;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Core.Shadow;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Routing;

/// <summary>
/// A validated migration: the parts that come from the config file. Joined with the run-time
/// <see cref="State.MigrationState"/> it becomes a <see cref="MigrationModel"/>.
/// </summary>
public sealed record MigrationDefinition(
    string Name,
    MatchModel Match,
    Uri Legacy,
    Uri Candidate,
    MigrationMode InitialMode,
    Weight InitialWeight,
    StickyKeySource StickyBy,
    TimeSpan LegacyTimeout,
    TimeSpan CandidateTimeout,
    ShadowPolicy Shadow,
    ResponseRules Compare)
{
    /// <summary>
    /// What the pre-migration checks ask of this migration. Outside the positional parameters so
    /// definitions built in code without checks keep their form; the default is <see cref="CheckPolicy.Default"/>.
    /// </summary>
    public CheckPolicy Checks { get; init; } = CheckPolicy.Default;

    /// <summary>The rollout plan, or null for a migration moved by hand.</summary>
    public RolloutPlan? Plan { get; init; }

    /// <summary>
    /// What counts as an error in this migration's metrics, and so in its error rates, gates and
    /// triggers. Outside the positional parameters like <see cref="Checks"/>; the default is
    /// <see cref="ErrorPolicy.Default"/> (a 5xx, a connection failure or a timeout).
    /// </summary>
    public ErrorPolicy Errors { get; init; } = ErrorPolicy.Default;

    /// <summary>
    /// Which requests the candidate fails are replayed to legacy, or null when failover is off
    /// (the default). Outside the positional parameters like <see cref="Checks"/>.
    /// </summary>
    public FailoverPolicy? Failover { get; init; }

    /// <summary>
    /// Where the two sides run. A <see cref="MigrationKind.Code"/> migration is decided inside an
    /// application by Cutover.Client: its match and backends are <see cref="Configuration.CodeMigrations"/>'
    /// placeholders and it is left out of the routing snapshot. The default value is <see cref="MigrationKind.Http"/>.
    /// </summary>
    public MigrationKind Kind { get; init; } = MigrationKind.Http;

    /// <summary>
    /// How each side is spoken to besides its address (<c>legacy: { url, protocol }</c>). Outside
    /// the positional parameters, so <see cref="Legacy"/> and <see cref="Candidate"/> stay the
    /// addresses and definitions built in code keep their form; the default is <see cref="SideBackends.Default"/>.
    /// </summary>
    public SideBackends Backends { get; init; } = SideBackends.Default;

    /// <summary>Whether answers carry a <c>Cutover-Side</c> header naming the side that served them, so testers and logs can see it. The default value is false.</summary>
    public bool SideHeader { get; init; }

    /// <summary>How a tester forces the side of a request, and who may; null for no override (the default).</summary>
    public RouteOverride? Override { get; init; }

    /// <summary>The fleet group, so migrations of one team or system are summarised together; null for none.</summary>
    public string? Group { get; init; }

    /// <summary>
    /// Whether the migration moves in lockstep with the others of its <see cref="Group"/> (the file's
    /// <c>lockstep</c> list): their plans take each step together, and a trigger on one rolls back
    /// (or halts) them all. The default value is false.
    /// </summary>
    public bool Lockstep { get; init; }

    /// <summary>How much the migration matters next to the others, for sorting the fleet. The default value is <see cref="Priority.Normal"/>.</summary>
    public Priority Priority { get; init; } = Priority.Normal;
}
