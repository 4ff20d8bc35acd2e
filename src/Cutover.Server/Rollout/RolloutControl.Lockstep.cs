using System.Text.Json.Nodes;
using Cutover.Core.Analysis;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Kernel.Routing;
using Cutover.Server.Control;
using Cutover.Server.Diagnostics;

namespace Cutover.Server.Rollout;

/// <summary>
/// Lockstep groups: the migrations of a group listed under <c>lockstep</c> follow their plans as
/// one. A member whose step is done waits until every member's is, then all enter the next step;
/// a trigger on any member rolls every member back (or halts them all past the point of no
/// return); a pause of one pauses the others; and a person's plan command on one member acts on
/// all. Each member keeps its own stored state and is judged on its own traffic. The moves of a
/// group are stored one member after another, so a replica that dies between two leaves the group
/// apart; the next look brings it back together the way the move meant (<see cref="AlignAsync"/>).
/// </summary>
public sealed partial class RolloutControl
{
    private IReadOnlyList<string> LockstepOf(string name) => _control.Definition.LockstepWith(name);

    private string GroupOf(string name) => _control.DefinitionOf(name).Group!;

    /// <summary>Why a member moved with the one a person or a trigger moved.</summary>
    private static string WithGroup(string group, string cause, string member, string reason) =>
        $"with lockstep group {group}, {cause} {member}" + (reason.Length > 0 ? $": {reason}" : string.Empty);

    /// <summary>
    /// A person's command on a lockstep member: on it first, so a refusal changes nothing, then on
    /// each other member the command applies to (a pause skips a member already paused).
    /// </summary>
    private async Task<MigrationState> ForGroupAsync(
        string name, IReadOnlyList<string> members, string command, Func<string, string, Task<MigrationState>> one, string reason)
    {
        var changed = await one(name, reason);
        foreach (var member in members.Where(m => m != name))
        {
            try
            {
                await one(member, WithGroup(GroupOf(name), command, name, reason));
            }
            catch (ControlException e) when (e.Status == 409)
            {
                // Not in a state the command applies to: nothing to do for this member.
            }
        }

        return changed;
    }

    /// <summary>
    /// Starts every member's plan that has not started, after every member's pre-migration checks
    /// passed; or moves the members at the group's lowest step on, after every one's gates passed.
    /// </summary>
    private async Task<MigrationState> PromoteGroupAsync(string name, IReadOnlyList<string> members, bool force, string actor, string reason, CancellationToken cancellationToken)
    {
        var states = members.Select(_control.Get).ToList();
        var active = states.Where(s => s.Rollout?.Status.IsActive() == true).ToList();
        if (active.Count == 0)
        {
            return await StartGroupAsync(name, states.Where(s => s.Rollout is null || s.Rollout.Status == RolloutStatus.Ready).ToList(), force, "start", actor, reason, cancellationToken);
        }

        var lowest = active.Min(s => s.Rollout!.Step);
        var moving = active.Where(s => s.Rollout!.Step == lowest).Select(s => s.Name).ToList();
        if (!force)
        {
            var unmet = new List<string>();
            foreach (var member in moving)
            {
                unmet.AddRange(await UnmetGatesAsync(member, cancellationToken));
            }

            if (unmet.Count > 0)
            {
                throw new ControlException(409, "Gates not met",
                    $"Lockstep group {GroupOf(name)} cannot leave step {lowest + 1}: {string.Join("; ", unmet)}. " +
                    $"Wait for the data, or skip the analysis with `cutover promote {name} --force` (audited; it moves every member).");
            }
        }

        foreach (var member in moving.OrderBy(m => m != name))
        {
            await PromoteOneAsync(member, force, actor, member == name ? reason : WithGroup(GroupOf(name), "promote", name, reason), cancellationToken);
        }

        return _control.Get(name);
    }

    /// <summary>The gates of a member not met now, each named with the member.</summary>
    private async Task<IEnumerable<string>> UnmetGatesAsync(string name, CancellationToken cancellationToken)
    {
        var machine = MachineOf(name);
        var state = _control.Get(name);
        var window = WindowSince(name, RolloutMachine.GatesFrom(state.Rollout!), _time.GetUtcNow());
        var backfill = await BackfillFactsAsync(machine.Plan, state.Rollout, cancellationToken);
        IReadOnlyList<ConditionEvaluation> gates;
        lock (machine)
        {
            gates = machine.EvaluateGates(state.Mode, state.Weight, window, backfill);
        }

        return gates.Where(g => g.Verdict != ConditionVerdict.Met).Select(g => $"{name}: {g.Condition}: {g.Detail}");
    }

    /// <summary>Starts again every member rolled back or aborted, after every one's pre-migration checks passed.</summary>
    private async Task<MigrationState> RetryGroupAsync(string name, IReadOnlyList<string> members, bool force, string actor, string reason, CancellationToken cancellationToken)
    {
        var state = _control.Get(name);
        if (state.Rollout?.Status is not (RolloutStatus.RolledBack or RolloutStatus.Aborted))
        {
            return await RetryOneAsync(name, force, actor, reason, cancellationToken);
        }

        var again = members.Select(_control.Get).Where(s => s.Rollout?.Status is null or RolloutStatus.Ready or RolloutStatus.RolledBack or RolloutStatus.Aborted).ToList();
        return await StartGroupAsync(name, again, force, "retry", actor, reason, cancellationToken);
    }

    private async Task<MigrationState> StartGroupAsync(
        string name, IReadOnlyList<MigrationState> starting, bool force, string action, string actor, string reason, CancellationToken cancellationToken)
    {
        if (starting.All(s => s.Name != name))
        {
            // The named member's plan is past starting (completed, say): its own command says why.
            return await PromoteOneAsync(name, force, actor, reason, cancellationToken);
        }

        var checks = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        foreach (var member in starting)
        {
            checks[member.Name] = await PreflightAsync(member.Name, force, cancellationToken);
        }

        var named = _control.Get(name);
        foreach (var member in starting.Select(s => s.Name).OrderBy(m => m != name))
        {
            var started = await StartCheckedAsync(member, MachineOf(member), force, action, actor,
                member == name ? reason : WithGroup(GroupOf(name), action, name, reason), checks[member], cancellationToken);
            named = member == name ? started : named;
        }

        return named;
    }

    /// <summary>
    /// A person's rollback of a lockstep member: every member goes back to legacy, the named one
    /// first. Refused as a whole when any member has passed the point of no return, unless forced.
    /// </summary>
    private async Task<MigrationState> RollbackGroupAsync(string name, IReadOnlyList<string> members, string actor, string reason, bool force, CancellationToken cancellationToken)
    {
        foreach (var member in members)
        {
            PointOfNoReturnGuard.Check(member, PlanOf(member), _control.Get(member), force);
        }

        var rolledBack = await RollbackOneAsync(name, actor, reason, evidence: null, cancellationToken, force: force);
        foreach (var member in members.Where(m => m != name && !IsBack(_control.Get(m))))
        {
            await RollbackOneAsync(member, actor, WithGroup(GroupOf(name), "rollback", name, reason), evidence: null, cancellationToken, force: force);
        }

        return rolledBack;
    }

    // Back on legacy with no plan under way: a rollback would change nothing.
    private static bool IsBack(MigrationState state) =>
        state.Mode == MigrationMode.Legacy && state.Weight == Weight.Zero && state.Rollout?.Status.IsActive() != true;

    /// <summary>
    /// Looks at a lockstep group's plans once. First the group is brought back together if a move
    /// reached only some members; then every member is judged; a rollback, halt or pause of one is
    /// carried to all; a member whose step is done waits (saying for whom) until every member at the
    /// group's lowest step is done, and then they all move on together.
    /// </summary>
    private async Task TickGroupAsync(string group, IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        var looks = members
            .Select(name => (Name: name, Machine: MachineFor(name), State: _control.Get(name)))
            .Where(l => l.Machine is not null)
            .Select(l => new GroupLook(l.Name, l.Machine!, l.State))
            .ToList();
        if (await AlignAsync(group, looks, cancellationToken))
        {
            return;
        }

        var active = looks.Where(l => l.Active).ToList();
        var lowest = active.Count == 0 ? 0 : active.Min(l => l.State.Rollout!.Step);
        foreach (var look in looks)
        {
            // A member ahead (after a move stored for some members only) waits: its triggers are judged, its smoke test not run again.
            look.Decision = await ProposeAsync(look.Name, look.State, look.Machine, runSmoke: look.Active && look.State.Rollout!.Step == lowest, cancellationToken);
        }

        if (looks.FirstOrDefault(l => l.Decision?.IsRollback == true) is { } fired)
        {
            await CarryOutAsync(fired.Name, fired.State, fired.Decision!, cancellationToken);
            await FollowAsync(group, fired, looks.Where(l => l != fired && l.Active), cancellationToken);
            return;
        }

        if (looks.FirstOrDefault(l => l.Decision is { } d && !l.Advances && d.Rollout.Status == RolloutStatus.Paused && l.State.Rollout!.Status == RolloutStatus.Running) is { } stopped)
        {
            await CarryOutAsync(stopped.Name, stopped.State, stopped.Decision!, cancellationToken);
            await FollowAsync(group, stopped, looks.Where(l => l != stopped && l.State.Rollout?.Status == RolloutStatus.Running), cancellationToken);
            return;
        }

        foreach (var look in looks.Where(l => l.Decision is not null && !l.Advances))
        {
            await CarryOutAsync(look.Name, look.State, look.Decision!, cancellationToken);
        }

        var atLowest = active.Where(l => l.State.Rollout!.Step == lowest).ToList();
        var catchingUp = active.Any(l => l.State.Rollout!.Step > lowest);
        var waitingFor = atLowest.Where(l => !l.Advances).Select(l => l.Name).ToList();
        foreach (var look in atLowest.Where(l => l.Advances))
        {
            if (catchingUp || waitingFor.Count == 0)
            {
                await CarryOutAsync(look.Name, look.State, look.Decision!, cancellationToken);
            }
            else
            {
                await WaitForGroupAsync(group, look, waitingFor, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Carries a rollback, halt or pause of one member to the others: a rollback rolls back each
    /// one not past the point of no return and halts the others; a halt halts; a pause pauses.
    /// </summary>
    private async Task FollowAsync(string group, GroupLook cause, IEnumerable<GroupLook> others, CancellationToken cancellationToken)
    {
        var decided = cause.Decision!;
        var why = WithGroup(group, decided.Action == "halt" || decided.IsRollback ? "like" : "paused like", cause.Name, decided.Reason);
        foreach (var other in others)
        {
            try
            {
                var passed = other.Machine.Plan.HasPassedPointOfNoReturn(other.State.Rollout);
                if (decided.IsRollback && !passed)
                {
                    await RollbackOneAsync(other.Name, "cutover", why, decided.Evidence, cancellationToken, other.State.Version);
                    continue;
                }

                if (other.State.Rollout!.Status != RolloutStatus.Running)
                {
                    continue;
                }

                RolloutDecision follow;
                lock (other.Machine)
                {
                    var now = _time.GetUtcNow();
                    follow = (decided.IsRollback || decided.Action == "halt") && passed
                        ? other.Machine.Halt(other.State, now, why, decided.Evidence?.DeepClone().AsObject())
                        : other.Machine.Pause(other.State, now, why) with { Evidence = decided.Evidence?.DeepClone().AsObject() };
                }

                await CarryOutAsync(other.Name, other.State, follow, cancellationToken);
            }
            catch (ControlException e)
            {
                // Changed meanwhile or refused: the next look brings it along (AlignAsync).
                CutoverLog.RolloutMoveRefused(_logger, other.Name, e.Title, e.Message);
            }
        }
    }

    /// <summary>Says once, in the member's note, that its step is done and which members it waits for.</summary>
    private async Task WaitForGroupAsync(string group, GroupLook look, IReadOnlyList<string> waitingFor, CancellationToken cancellationToken)
    {
        var rollout = look.State.Rollout!;
        var note = $"{look.Machine.Plan.Steps[rollout.Step].Describe()} done; waiting for lockstep group {group}: {string.Join(", ", waitingFor)}";
        if (rollout.Note == note)
        {
            return;
        }

        TimeSpan baked;
        lock (look.Machine)
        {
            baked = look.Machine.Baked(rollout, _time.GetUtcNow());
        }

        var wait = new RolloutDecision("wait", look.State.Mode, look.State.Weight, rollout with { Baked = baked, Note = note }, $"{look.Decision!.Reason}; {note}", null, null);
        await CarryOutAsync(look.Name, look.State, wait, cancellationToken);
    }

    /// <summary>
    /// Brings a group back together when a move reached only some members (a replica died
    /// between two, or the store refused one): a member rolled back or aborted while the others'
    /// current step ran takes them along; a paused member pauses (or a halted one halts) the members
    /// that ran on at or past its step, unchanged since it paused. Times come from the store, so a
    /// person's retry or resume, newer than the move it undoes, is never taken back. True when it
    /// moved a member.
    /// </summary>
    private async Task<bool> AlignAsync(string group, IReadOnlyList<GroupLook> looks, CancellationToken cancellationToken)
    {
        var active = looks.Where(l => l.Active).ToList();
        if (active.Count == 0)
        {
            return false;
        }

        var ended = looks.FirstOrDefault(l => l.State.Rollout?.Status is RolloutStatus.RolledBack or RolloutStatus.Aborted
            && active.Any(a => a.State.Rollout!.StepStartedAt <= l.State.UpdatedAt));
        if (ended is not null)
        {
            foreach (var other in active.Where(a => a.State.Rollout!.StepStartedAt <= ended.State.UpdatedAt))
            {
                try
                {
                    if (ended.State.Rollout!.Status == RolloutStatus.Aborted)
                    {
                        await AbortOneAsync(other.Name, "cutover", WithGroup(group, "aborted like", ended.Name, ended.State.Rollout.Note), cancellationToken);
                    }
                    else
                    {
                        ended.Decision = new RolloutDecision("rollback", ended.State.Mode, ended.State.Weight, ended.State.Rollout, ended.State.Rollout.Note, null, null);
                        await FollowAsync(group, ended, [other], cancellationToken);
                    }
                }
                catch (ControlException e)
                {
                    CutoverLog.RolloutMoveRefused(_logger, other.Name, e.Title, e.Message);
                }
            }

            return true;
        }

        // Running on past a pause: at or beyond the paused member's step and not changed since it paused (a person's resume is newer).
        bool RanOnPast(GroupLook running, GroupLook paused) => running.State.Rollout!.Status == RolloutStatus.Running
            && running.State.Rollout.Step >= paused.State.Rollout!.Step && running.State.UpdatedAt <= paused.State.UpdatedAt;
        var paused = active.FirstOrDefault(l => l.State.Rollout!.Status == RolloutStatus.Paused && active.Any(a => RanOnPast(a, l)));
        if (paused is null)
        {
            return false;
        }

        var halted = paused.State.Rollout!.Note.StartsWith("halted", StringComparison.Ordinal);
        paused.Decision = new RolloutDecision(halted ? "halt" : "pause", paused.State.Mode, paused.State.Weight, paused.State.Rollout, paused.State.Rollout.Note, null, null);
        await FollowAsync(group, paused, active.Where(a => RanOnPast(a, paused)), cancellationToken);
        return true;
    }

    /// <summary>One member as a group's look sees it: its plan, its stored state and the move it wants.</summary>
    private sealed class GroupLook(string name, RolloutMachine machine, MigrationState state)
    {
        public string Name => name;

        public RolloutMachine Machine => machine;

        public MigrationState State => state;

        public RolloutDecision? Decision { get; set; }

        public bool Active => state.Rollout?.Status.IsActive() == true;

        /// <summary>Whether the move wanted enters another step (or ends the plan).</summary>
        public bool Advances => Decision is { } decision && !decision.IsRollback && decision.Rollout.Step != state.Rollout!.Step;
    }
}
