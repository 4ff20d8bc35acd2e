using Cutover.Core.Configuration;
using Cutover.Core.Fleet;
using Cutover.Core.Routing;
using Cutover.Core.State;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Server.Admin;

/// <summary>A migration as the admin API shows it: config, current state and per-side counts.</summary>
public sealed record MigrationView(
    string Name,
    string Mode,
    Weight Weight,
    long Version,
    DateTimeOffset UpdatedAt,
    string Legacy,
    string Candidate,
    MatchView Match,
    string StickyBy,
    SidesView Stats,
    PlanView? Plan)
{
    internal static MigrationView From(MigrationDefinition definition, MigrationState state, MigrationCounters counters, PlanView? plan) => new(
        definition.Name,
        state.Mode.ToWire(),
        state.Weight,
        state.Version,
        state.UpdatedAt,
        definition.Kind == MigrationKind.Code ? CodeMigrations.InProcess : definition.Legacy.AbsoluteUri,
        definition.Kind == MigrationKind.Code ? CodeMigrations.InProcess : definition.Candidate.AbsoluteUri,
        new MatchView(definition.Match.PathPrefix, definition.Match.Host, definition.Match.Methods,
            definition.Match.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)),
        definition.StickyBy.ToString(),
        new SidesView(SideView.From(counters.Legacy, null), SideView.From(counters.Candidate, counters.Shadow.Compared > 0 ? counters.Shadow.DivergenceRate : null) with { Rescued = counters.Rescued },
            ShadowView.From(counters.Shadow)) { Overridden = OverriddenView.From(counters.Overrides) },
        plan)
    {
        SideHeader = definition.SideHeader,
        Override = definition.Override?.ToString(),
        Group = definition.Group,
        Lockstep = definition.Lockstep,
        Priority = definition.Priority.ToWire(),
        Kind = definition.Kind.ToWire(),
    };

    /// <summary>http for a route the proxy forwards, code for a migration inside an application (Cutover.Client), whose legacy and candidate read in-process.</summary>
    public string Kind { get; init; } = MigrationKind.Http.ToWire();

    /// <summary>Whether answers carry a Cutover-Side header naming the side that served them (sideHeader).</summary>
    public bool SideHeader { get; init; }

    /// <summary>What the route override reads and who may use it (never its secret), or null when the migration has none.</summary>
    public string? Override { get; init; }

    /// <summary>The fleet group from the config, or null; <c>GET /api/fleet</c> counts by it.</summary>
    public string? Group { get; init; }

    /// <summary>
    /// Whether it moves in lockstep with the other migrations of its <see cref="Group"/>: their plans
    /// take each step together, a trigger on one rolls back (or halts) them all, and a plan command
    /// on one acts on all.
    /// </summary>
    public bool Lockstep { get; init; }

    /// <summary>critical, high, normal or low, from the config; the fleet summary lists the most urgent first.</summary>
    public string Priority { get; init; } = Core.Fleet.Priority.Normal.ToWire();
}

/// <summary>A migration's match, as configured.</summary>
public sealed record MatchView(string PathPrefix, string? Host, IReadOnlyList<string> Methods, IReadOnlyDictionary<string, string> Headers);

/// <summary>Counts of both sides, of the shadow traffic and of the requests a tester forced to a side.</summary>
public sealed record SidesView(SideView Legacy, SideView Candidate, ShadowView Shadow)
{
    /// <summary>The requests a route override forced to a side, counted apart from <see cref="Legacy"/> and <see cref="Candidate"/>.</summary>
    public OverriddenView Overridden { get; init; } = new(0, 0, 0, 0, 0);
}

/// <summary>
/// The requests a route override forced to a side since this process started, and their errors by
/// the migration's error policy; <see cref="Ignored"/> asked for a side and were routed as usual
/// (a value other than legacy or candidate, a client outside the networks, a missing or wrong
/// secret, a retired migration). None of them is in a side's counts, rates, gates or triggers.
/// </summary>
public sealed record OverriddenView(long Legacy, long Candidate, long LegacyErrors, long CandidateErrors, long Ignored)
{
    internal static OverriddenView From(OverrideCounters counters) =>
        new(counters.Legacy, counters.Candidate, counters.LegacyErrors, counters.CandidateErrors, counters.Ignored);
}

/// <summary>
/// Counts of one side since this process started. The candidate's divergence rate (divergent
/// per compared shadow pair) sits with its error counts because a rollout judges them together;
/// it is null until a pair has been compared, and always for legacy.
/// </summary>
public sealed record SideView(long Requests, long Errors, double? DivergenceRate)
{
    /// <summary>
    /// For the candidate, how many of its errors legacy answered instead (the migration's
    /// <c>failover</c>): failures no user saw, though they count as the candidate's. Null for legacy.
    /// </summary>
    public long? Rescued { get; init; }

    internal static SideView From(SideCounters counters, double? divergenceRate) => new(counters.Requests, counters.Errors, divergenceRate);
}

/// <summary>What happened to the requests eligible for mirroring since this process started; see <see cref="ShadowCounters"/>.</summary>
public sealed record ShadowView(
    long Mirrored,
    long Dropped,
    long Skipped,
    long Compared,
    long Equal,
    long Divergent,
    long CandidateErrors,
    double DivergenceRate,
    string? LastCandidateError,
    long QueuedBytes)
{
    internal static ShadowView From(ShadowCounters counters) => new(
        counters.Mirrored, counters.Dropped, counters.Skipped, counters.Compared, counters.Equal, counters.Divergent, counters.CandidateErrors,
        counters.DivergenceRate, counters.LastCandidateError, counters.Queued.Held);
}
