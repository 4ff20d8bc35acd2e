using System.Text.Json.Nodes;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Fleet;

/// <summary>
/// A migration's audit log written the way the store writes it: each decision of a real
/// <see cref="RolloutMachine"/> (or a person's change) applied to the state, with a row holding
/// the state before and after, the action, the time and the evidence.
/// </summary>
internal sealed class AuditLog(string name = "orders")
{
    private readonly List<AuditEntry> _rows = [];

    public MigrationState State { get; private set; } = new(name, MigrationMode.Legacy, Weight.Zero, 1, DateTimeOffset.UnixEpoch);

    public IReadOnlyList<AuditEntry> Rows => _rows;

    /// <summary>Applies a plan's decision.</summary>
    public AuditLog Record(RolloutDecision decision, DateTimeOffset at) =>
        Record(decision.Action, State with { Mode = decision.Mode, Weight = decision.Weight, Rollout = decision.Rollout }, at, decision.Evidence);

    /// <summary>Applies a change made without the plan, such as a person's weight or mode.</summary>
    public AuditLog Record(string action, MigrationMode mode, double weight, DateTimeOffset at) =>
        Record(action, State with { Mode = mode, Weight = Weight.FromPercent(weight) }, at, evidence: null);

    private AuditLog Record(string action, MigrationState next, DateTimeOffset at, JsonObject? evidence)
    {
        next = next with { Version = State.Version + 1, UpdatedAt = at };
        _rows.Add(new AuditEntry(_rows.Count + 1, at, State.Name, "cutover", action, StateText.Format(State), StateText.Format(next), string.Empty,
            evidence?.ToJsonString(Evidence.SerializerOptions)));
        State = next;
        return this;
    }
}
