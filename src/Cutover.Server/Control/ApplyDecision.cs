using System.Globalization;
using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Core.State;
using Cutover.Kernel.Routing;

namespace Cutover.Server.Control;

/// <summary>
/// What applying a file means for one migration, decided against its current state: what
/// changes (before → after), what is left alone and why, what cannot be applied while Cutover
/// runs, and the state change to store. Decided once to answer (or refuse) the whole file, and
/// again under the control lock when the change is stored, so it is never made on a stale state.
/// </summary>
/// <param name="Changes">What changes, before → after.</param>
/// <param name="Notes">What is left alone and why, and what to do next.</param>
/// <param name="Refusals">Why the file cannot be applied to this migration; any refusal leaves the whole file unapplied.</param>
/// <param name="Change">The change to store, or null when there is nothing to change or something is refused.</param>
internal sealed record ApplyDecision(IReadOnlyList<FieldChange> Changes, IReadOnlyList<string> Notes, IReadOnlyList<string> Refusals, StateChange? Change)
{
    /// <summary>Decides for one migration of the file.</summary>
    /// <param name="running">The definition it runs on now.</param>
    /// <param name="state">Its current state.</param>
    /// <param name="file">Its definition in the file.</param>
    /// <param name="written">Its section of the file as written: a mode or weight left out is left alone.</param>
    /// <param name="request">Who applies which file, why, and when.</param>
    public static ApplyDecision Of(MigrationDefinition running, MigrationState state, MigrationDefinition file, MigrationConfig written, ApplyRequestContext request)
    {
        var name = file.Name;
        var refusals = DefinitionDifferences.FixedFields(running, file)
            .Select(field => $"migration '{name}': {field} differs from what runs, and only a restart changes it; restart `cutover serve` with the file to change it")
            .ToList();
        var changes = new List<FieldChange>();
        var notes = new List<string>();
        var underWay = state.Rollout is { } rollout && rollout.Status.IsActive();

        var mode = written.Mode is null ? state.Mode : file.InitialMode;
        var weight = written.Weight is null ? state.Weight : file.InitialWeight;
        var traffic = Traffic(state, mode, weight);
        if (traffic.Count > 0 && underWay)
        {
            notes.Add($"mode and weight left alone ({string.Join(", ", traffic.Select(c => $"{c.Field} {c.Before} → {c.After}"))}): its plan is {Progress(state)} and moves traffic itself; " +
                $"`cutover abort {name}` first to take over, or set them with `cutover mode` or `cutover weight`, which pause the plan");
            (mode, weight) = (state.Mode, state.Weight);
        }
        else
        {
            changes.AddRange(traffic);
        }

        var plan = DefinitionDifferences.Plan(running.Plan, file.Plan);
        if (plan.Count > 0 && underWay)
        {
            refusals.Add($"migration '{name}': its plan is {Progress(state)}, so apply cannot replace it; `cutover abort {name}` or wait for the plan to finish, then apply again");
        }
        else if (plan.Count > 0)
        {
            changes.AddRange(plan);
            notes.Add(file.Plan is null
                ? $"plan removed; move the migration by hand with `cutover weight {name}` or `cutover mode {name}`"
                : $"plan ready; `cutover promote {name}` starts it");
        }

        if (refusals.Count > 0 || changes.Count == 0)
        {
            return new ApplyDecision(changes, notes, refusals, null);
        }

        var replaced = plan.Count > 0;
        var change = new StateChange(
            name,
            "apply",
            mode,
            weight,
            request.Actor,
            request.Reason.Length > 0 ? request.Reason : $"applied {request.Source}",
            Rollout: replaced
                ? new RolloutState(RolloutStatus.Ready, 0, request.Now, request.Now, TimeSpan.Zero, $"plan applied from {request.Source} by {request.Actor}; `cutover promote {name}` starts it")
                : null,
            Evidence: JsonSerializer.Serialize(new { source = request.Source, changes }, Evidence.SerializerOptions),
            Plan: replaced ? new AppliedPlan(written.Plan) : null);
        return new ApplyDecision(changes, notes, refusals, change);
    }

    private static List<FieldChange> Traffic(MigrationState state, MigrationMode mode, Weight weight)
    {
        var changes = new List<FieldChange>();
        if (mode != state.Mode)
        {
            changes.Add(new FieldChange("mode", state.Mode.ToWire(), mode.ToWire()));
        }

        if (weight != state.Weight)
        {
            changes.Add(new FieldChange("weight", Percent(state.Weight), Percent(weight)));
        }

        return changes;
    }

    private static string Percent(Weight weight) => string.Create(CultureInfo.InvariantCulture, $"{weight:0.##}");

    private static string Progress(MigrationState state) =>
        string.Create(CultureInfo.InvariantCulture, $"{state.Rollout!.Status.ToWire()} at step {state.Rollout.Step + 1}");
}
