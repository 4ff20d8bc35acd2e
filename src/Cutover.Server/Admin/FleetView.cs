using Cutover.Core.Fleet;
using Cutover.Core.State;
using Cutover.Kernel.Routing;

namespace Cutover.Server.Admin;

/// <summary>
/// The answer of <c>GET /api/fleet</c>: how far the fleet of migrations (or one group of it) has
/// come, for the people who run fifty of them: the counts, the rollbacks, what moving did to
/// latency, and where each migration's time went.
/// </summary>
/// <param name="Group">The group asked for, or null for the whole fleet.</param>
/// <param name="At">When it was read: the current steps' times run to here.</param>
/// <param name="Totals">The counts over every migration shown.</param>
/// <param name="Groups">The counts of each group, by name, with the migrations without a group last (group null).</param>
/// <param name="Migrations">Each migration, most urgent priority first, in config order within a priority.</param>
public sealed record FleetView(
    string? Group,
    DateTimeOffset At,
    FleetTally Totals,
    IReadOnlyList<FleetGroupView> Groups,
    IReadOnlyList<FleetMigrationView> Migrations)
{
    internal static FleetView From(string? group, DateTimeOffset at, IReadOnlyList<FleetMember> members) => new(
        group,
        at,
        FleetTally.Of(members),
        [.. members
            .GroupBy(m => m.Group)
            .OrderBy(g => g.Key is null)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FleetGroupView(g.Key, FleetTally.Of([.. g])) { Lockstep = g.Any(m => m.Lockstep) })],
        [.. members.OrderBy(m => m.Priority).Select(FleetMigrationView.From)]);
}

/// <summary>The counts of one group; <paramref name="Group"/> is null for the migrations without one.</summary>
public sealed record FleetGroupView(string? Group, FleetTally Totals)
{
    /// <summary>Whether the group's migrations move in lockstep: one plan step at a time, rolled back together.</summary>
    public bool Lockstep { get; init; }
}

/// <summary>One migration in the fleet summary.</summary>
/// <param name="Name">The migration.</param>
/// <param name="Group">Its group, or null.</param>
/// <param name="Priority">critical, high, normal or low.</param>
/// <param name="Phase">migrated, in-progress, rolled-back or not-started.</param>
/// <param name="Mode">Its mode.</param>
/// <param name="Weight">Its weight.</param>
/// <param name="Plan">Its plan's status (as in <see cref="PlanView"/>), or null without a plan or before it was first started.</param>
/// <param name="Step">The step under way, 1-based; null when the plan is not under way.</param>
/// <param name="Rollbacks">Rollbacks ever recorded.</param>
/// <param name="LatencyChange">The candidate's latency against legacy's when its latest run last moved on with enough data on both sides; null when none did.</param>
/// <param name="Steps">The steps of the plan's latest run with their times; the current one has no <c>leftAt</c> and its time so far.</param>
public sealed record FleetMigrationView(
    string Name,
    string? Group,
    string Priority,
    string Phase,
    string Mode,
    Weight Weight,
    string? Plan,
    int? Step,
    int Rollbacks,
    LatencyChange? LatencyChange,
    IReadOnlyList<StepTimeView> Steps)
{
    internal static FleetMigrationView From(FleetMember member)
    {
        var current = member.History.Steps.LastOrDefault(s => s.LeftAt is null);
        return new(
            member.Name,
            member.Group,
            member.Priority.ToWire(),
            member.Phase.ToWire(),
            member.State.Mode.ToWire(),
            member.State.Weight,
            member.State.Rollout is { } rollout ? rollout.Status.ToWire() : null,
            current?.Step,
            member.History.Rollbacks,
            member.History.LatencyChange,
            [.. member.History.Steps.Select(s => new StepTimeView(s.Step, s.Description, s.EnteredAt, s.LeftAt, s.Duration.TotalSeconds))])
        {
            Note = member.State.Rollout?.Note,
            Lockstep = member.Lockstep,
        };
    }

    /// <summary>Whether it moves in lockstep with the rest of its group.</summary>
    public bool Lockstep { get; init; }

    /// <summary>Why the plan is where it is (as <see cref="PlanView.Note"/>), or null without a plan under way or done; the dashboard reads a person's turn from it.</summary>
    public string? Note { get; init; }
}

/// <summary>One step of a plan's run: when it was entered and left, and the seconds between (wall-clock, pauses included).</summary>
public sealed record StepTimeView(int Step, string Description, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, double Seconds);
