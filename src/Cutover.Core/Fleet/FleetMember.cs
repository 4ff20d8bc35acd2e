using Cutover.Core.State;

namespace Cutover.Core.Fleet;

/// <summary>One migration as the fleet summary counts it: its labels, its stored state and what its audit log tells.</summary>
/// <param name="Name">The migration.</param>
/// <param name="Group">Its group, or null.</param>
/// <param name="Priority">Its priority.</param>
/// <param name="State">Its stored state.</param>
/// <param name="History">Its rollbacks, step times and latency change.</param>
public sealed record FleetMember(string Name, string? Group, Priority Priority, MigrationState State, MigrationHistory History)
{
    /// <summary>Whether it moves in lockstep with the rest of its group (the file's <c>lockstep</c> list).</summary>
    public bool Lockstep { get; init; }

    /// <summary>Where it stands.</summary>
    public FleetPhase Phase => FleetPhases.Of(State);
}
