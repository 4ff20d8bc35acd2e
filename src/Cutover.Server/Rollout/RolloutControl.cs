using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Verifying;
using Cutover.Core.Analysis;
using Cutover.Core.Rollout;
using Cutover.Core.Shadow;
using Cutover.Core.State;
using Cutover.Core.Values;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;
using Cutover.Server.Checks;
using Cutover.Server.Control;
using Cutover.Server.Diagnostics;
using Cutover.Server.Metrics;
using Cutover.Server.Telemetry;
using Cutover.Store;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Rollout;

/// <summary>
/// Runs every migration's plan: the orchestrator's look at each one (<see cref="TickAsync"/>) and
/// the commands of people (promote, pause, resume, abort, rollback, retry). Both go through
/// <see cref="MigrationControl"/>, so every move is stored with its audit row and evidence before
/// traffic changes. A person's command always wins: it is decided on the latest state, while a
/// move of the orchestrator decided on an older state is refused and judged again.
/// </summary>
public sealed partial class RolloutControl
{
    private readonly MigrationControl _control;
    private readonly SharedMetrics _metrics;
    private readonly IRolloutEventSink _events;
    private readonly SmokeRunner _smoke;
    private readonly PreflightRunner _preflight;
    private readonly TimeProvider _time;
    private readonly ILogger<RolloutControl> _logger;
    private readonly PlanBackfills _backfills;

    // One machine per migration with a plan, made when first needed and replaced when the plan is (cutover apply); guarded by its own lock.
    private readonly Dictionary<string, RolloutMachine> _machines = new(StringComparer.Ordinal);

    // The smoke test each migration's current step passed, kept while the step waits for the plan's window so it is not run again at every look.
    private readonly ConcurrentDictionary<string, PassedSmoke> _smokesPassed = new(StringComparer.Ordinal);

    /// <summary>Creates the control of every migration's plan.</summary>
    public RolloutControl(
        MigrationControl control, SharedMetrics metrics, IRolloutEventSink events, SmokeRunner smoke, PreflightRunner preflight, TimeProvider time, ILogger<RolloutControl> logger)
    {
        _preflight = preflight;
        _control = control;
        _metrics = metrics;
        _events = events;
        _smoke = smoke;
        _time = time;
        _logger = logger;
        _backfills = new PlanBackfills(time);
    }

    /// <summary>
    /// Checks a person's weight or mode change against the plan's point of no return: one that
    /// sends users back toward legacy (a lower share on the candidate) is refused with a 409 past
    /// it unless forced, as a rollback is. Returns the words a forced change's audit reason ends with.
    /// </summary>
    public string GuardTrafficBack(string name, MigrationMode mode, Weight weight, bool force, string command)
    {
        var state = _control.Get(name);
        return CandidateShare(mode, weight) < CandidateShare(state.Mode, state.Weight)
            ? PointOfNoReturnGuard.Check(name, PlanOf(name), state, force, command)
            : string.Empty;
    }

    /// <summary>The plan of a migration (the file's, or the one applied at run time), or null when it has none.</summary>
    public RolloutPlan? PlanOf(string name) => _control.DefinitionOf(name).Plan;

    /// <summary>Raised with each plan event once it went to the webhooks, for the admin API's event stream.</summary>
    public event Action<RolloutEvent>? Published;

    /// <summary>The time plans are judged by, for views that show a plan's window.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>How long the current step of a migration's plan has baked, for status.</summary>
    public TimeSpan Baked(MigrationState state)
    {
        if (state.Rollout is not { } rollout || MachineFor(state.Name) is not { } machine)
        {
            return TimeSpan.Zero;
        }

        lock (machine)
        {
            return machine.Baked(rollout, _time.GetUtcNow());
        }
    }

    /// <summary>
    /// What a migration's gates and triggers read now (<c>GET /api/migrations/{name}/judge</c>); a
    /// 409 when it has no plan. How long each trigger has held is read from the store, where the
    /// replica running the plans saves it, so every replica shows the same; while the store is
    /// down, this replica's own view stands in.
    /// </summary>
    public async Task<PlanReading> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var machine = MachineOf(name);
        IReadOnlyDictionary<string, DateTimeOffset>? holding;
        try
        {
            holding = await _control.Store.GetTriggerHoldsAsync(name, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            holding = null;
        }

        var state = _control.Get(name);
        var backfill = await BackfillFactsAsync(machine.Plan, state.Rollout, cancellationToken);
        var now = _time.GetUtcNow();
        lock (machine)
        {
            return machine.Read(state, now, from => WindowSince(name, from, now), holding, backfill);
        }
    }

    /// <summary>
    /// The job of a plan's backfill step, when the plan is on one or past one whose catch-up passes
    /// run: as the store has it now, with its progress; null when the plan is elsewhere, the job has
    /// not started, or the store keeps no jobs. For the judge, so people see the job inside the plan.
    /// </summary>
    public async Task<BackfillProgress?> BackfillOfAsync(string name, CancellationToken cancellationToken)
    {
        var state = _control.Get(name);
        if (PlanOf(name) is not { } plan || state.Rollout is not { } rollout || !rollout.Status.IsActive()
            || (plan.Steps[rollout.Step] as BackfillStep ?? DoneCatchUpStep(plan, rollout)) is not { } step || _control.Store is not IBackfillStore store
            || await _backfills.JobNameAsync(step, cancellationToken) is not { } job)
        {
            return null;
        }

        return await store.GetBackfillAsync(job, cancellationToken) is { } record ? BackfillProgress.Of(record, null, _time.GetUtcNow()) : null;
    }

    /// <summary>
    /// Makes this replica ready to run the plans another ran until now: re-reads every plan's
    /// progress from the store and forgets what this replica watched, so each step resumes with the
    /// bake the other replica last checkpointed, as after a restart.
    /// </summary>
    public async Task TakeOverAsync(CancellationToken cancellationToken)
    {
        await _control.RefreshAsync(cancellationToken, progress: true);
        RolloutMachine[] machines;
        lock (_machines)
        {
            machines = [.. _machines.Values];
        }

        foreach (var machine in machines)
        {
            lock (machine)
            {
                machine.Forget();
            }
        }
    }

    /// <summary>Looks at every plan once: triggers, steps done, gates, smoke tests, bake checkpoints.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var groupsLooked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var migration in _control.Definition.Migrations)
        {
            var name = migration.Name;
            try
            {
                if (migration.Lockstep)
                {
                    if (groupsLooked.Add(migration.Group!))
                    {
                        await TickGroupAsync(migration.Group!, _control.Definition.LockstepWith(name), cancellationToken);
                    }
                }
                else if (MachineFor(name) is { } machine)
                {
                    await TickAsync(name, machine, cancellationToken);
                }
            }
            catch (ControlException e)
            {
                // The state changed under the decision (a person came first) or the store is down:
                // nothing was changed, and the next look decides again on what is stored.
                CutoverLog.RolloutMoveRefused(_logger, name, e.Title, e.Message);
            }
            catch (StoreUnavailableException e)
            {
                CutoverLog.RolloutMoveRefused(_logger, name, "Store unavailable", e.Message);
            }
        }
    }

    /// <summary>
    /// Starts a ready plan, or moves a running or paused one to its next step. The gates of the
    /// current step must be met unless <paramref name="force"/> is set (the audit row says so).
    /// </summary>
    public async Task<MigrationState> PromoteAsync(string name, bool force, string actor, string reason, CancellationToken cancellationToken) =>
        LockstepOf(name) is { Count: > 0 } members
            ? await PromoteGroupAsync(name, members, force, actor, reason, cancellationToken)
            : await PromoteOneAsync(name, force, actor, reason, cancellationToken);

    private async Task<MigrationState> PromoteOneAsync(string name, bool force, string actor, string reason, CancellationToken cancellationToken)
    {
        var machine = MachineOf(name);
        var state = _control.Get(name);
        if (state.Rollout is null || state.Rollout.Status == RolloutStatus.Ready)
        {
            return await StartAsync(name, machine, force, "start", actor, reason, cancellationToken);
        }

        if (!state.Rollout.Status.IsActive())
        {
            throw new ControlException(409, "Plan not under way",
                $"The plan of '{name}' is {state.Rollout.Status.ToWire()}; there is no step to promote. {PlanHints.For(state.Rollout.Status, name)}");
        }

        var now = _time.GetUtcNow();
        JsonObject? evidence = null;
        if (!force)
        {
            var window = WindowSince(name, RolloutMachine.GatesFrom(state.Rollout), now);
            var backfill = await BackfillFactsAsync(machine.Plan, state.Rollout, cancellationToken);
            IReadOnlyList<Core.Analysis.ConditionEvaluation> gates;
            lock (machine)
            {
                gates = machine.EvaluateGates(state.Mode, state.Weight, window, backfill);
            }

            evidence = Evidence.Of(window, machine.Plan.MinSamples, gates: gates);
            var unmet = gates.Where(g => g.Verdict != Core.Analysis.ConditionVerdict.Met).ToList();
            if (unmet.Count > 0)
            {
                throw new ControlException(409, "Gates not met",
                    $"'{name}' cannot leave step {state.Rollout.Step + 1} ({machine.Plan.Steps[state.Rollout.Step].Describe()}): " +
                    string.Join("; ", unmet.Select(g => $"{g.Condition}: {g.Detail}")) +
                    $". Wait for the data, or skip the analysis with `cutover promote {name} --force` (audited).");
            }
        }

        return await ChangeAsync(name, current =>
        {
            EnsureActive(name, current, machine);
            lock (machine)
            {
                return machine.Advance(current, now, force ? "promote --force" : "promote", Because(reason, force ? "promoted by a person, analysis skipped" : "promoted by a person"), evidence);
            }
        }, actor, cancellationToken);
    }

    /// <summary>Stops a running plan where it is; triggers stay armed.</summary>
    public Task<MigrationState> PauseAsync(string name, string actor, string reason, CancellationToken cancellationToken) =>
        LockstepOf(name) is { Count: > 0 } members
            ? ForGroupAsync(name, members, "pause", (member, why) => PauseOneAsync(member, actor, why, cancellationToken), reason)
            : PauseOneAsync(name, actor, reason, cancellationToken);

    private Task<MigrationState> PauseOneAsync(string name, string actor, string reason, CancellationToken cancellationToken)
    {
        var machine = MachineOf(name);
        return ChangeAsync(name, current =>
        {
            if (current.Rollout?.Status != RolloutStatus.Running)
            {
                throw NotRunning(name, current, "pause", machine);
            }

            lock (machine)
            {
                return machine.Pause(current, _time.GetUtcNow(), $"paused by {actor}" + (reason.Length > 0 ? $": {reason}" : string.Empty));
            }
        }, actor, cancellationToken);
    }

    /// <summary>Lets a paused plan run again with the bake time it had left.</summary>
    public Task<MigrationState> ResumeAsync(string name, string actor, string reason, CancellationToken cancellationToken) =>
        LockstepOf(name) is { Count: > 0 } members
            ? ForGroupAsync(name, members, "resume", (member, why) => ResumeOneAsync(member, actor, why, cancellationToken), reason)
            : ResumeOneAsync(name, actor, reason, cancellationToken);

    private Task<MigrationState> ResumeOneAsync(string name, string actor, string reason, CancellationToken cancellationToken)
    {
        var machine = MachineOf(name);
        return ChangeAsync(name, current =>
        {
            if (current.Rollout?.Status != RolloutStatus.Paused)
            {
                throw NotRunning(name, current, "resume", machine);
            }

            if (machine.Plan.Steps[current.Rollout.Step] is PauseStep { Duration: null })
            {
                throw new ControlException(409, "Waiting for promote",
                    $"Step {current.Rollout.Step + 1} of '{name}' waits for a person's decision; use `cutover promote {name}` to move on.");
            }

            lock (machine)
            {
                return machine.Resume(current, _time.GetUtcNow(), Because(reason, "resumed by a person"));
            }
        }, actor, cancellationToken);
    }

    /// <summary>Ends the plan and leaves traffic where it is, for a person to take over by hand.</summary>
    public Task<MigrationState> AbortAsync(string name, string actor, string reason, CancellationToken cancellationToken) =>
        LockstepOf(name) is { Count: > 0 } members
            ? ForGroupAsync(name, members, "abort", (member, why) => AbortOneAsync(member, actor, why, cancellationToken), reason)
            : AbortOneAsync(name, actor, reason, cancellationToken);

    private Task<MigrationState> AbortOneAsync(string name, string actor, string reason, CancellationToken cancellationToken)
    {
        var machine = MachineOf(name);
        return ChangeAsync(name, current =>
        {
            if (current.Rollout is { } rollout && !rollout.Status.IsActive() && rollout.Status != RolloutStatus.Ready)
            {
                throw new ControlException(409, "Plan not under way", $"The plan of '{name}' is already {rollout.Status.ToWire()}; there is nothing to abort. {PlanHints.For(rollout.Status, name)}");
            }

            lock (machine)
            {
                return machine.Abort(current, _time.GetUtcNow(), Because(reason, $"aborted by {actor}"));
            }
        }, actor, cancellationToken);
    }

    /// <summary>Starts a rolled-back or aborted plan again from its first step, after the pre-migration checks.</summary>
    public async Task<MigrationState> RetryAsync(string name, bool force, string actor, string reason, CancellationToken cancellationToken) =>
        LockstepOf(name) is { Count: > 0 } members
            ? await RetryGroupAsync(name, members, force, actor, reason, cancellationToken)
            : await RetryOneAsync(name, force, actor, reason, cancellationToken);

    private async Task<MigrationState> RetryOneAsync(string name, bool force, string actor, string reason, CancellationToken cancellationToken)
    {
        var machine = MachineOf(name);
        var state = _control.Get(name);
        if (state.Rollout?.Status is not (RolloutStatus.RolledBack or RolloutStatus.Aborted))
        {
            throw new ControlException(409, "Nothing to retry",
                $"The plan of '{name}' is {StatusOf(state)}; retry starts a rolled-back or aborted plan again. {Hint(name, state, machine)}");
        }

        return await StartAsync(name, machine, force, "retry", actor, reason, cancellationToken);
    }

    /// <summary>
    /// Sends every new request to legacy at once, ends a plan under way as rolled back, and keeps
    /// a failure report (reason, timeline, both sides' metrics, recent errors, divergences) with
    /// the audit row. Works on any migration, with or without a plan. A person's rollback of a
    /// lockstep member rolls back its whole group.
    /// </summary>
    /// <param name="name">The migration.</param>
    /// <param name="actor">Who rolls back.</param>
    /// <param name="reason">Why.</param>
    /// <param name="evidence">What caused it (a trigger's evaluation), kept in the report.</param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <param name="decidedOnVersion">For the orchestrator: the state version the rollback was decided on; refused when a person changed the migration since.</param>
    /// <param name="force">Rolls back past the plan's point of no return, where legacy no longer holds current data; refused with a 409 otherwise, and named in the audit row.</param>
    public async Task<MigrationState> RollbackAsync(
        string name, string actor, string reason, JsonObject? evidence, CancellationToken cancellationToken, long? decidedOnVersion = null, bool force = false) =>
        decidedOnVersion is null && LockstepOf(name) is { Count: > 0 } members
            ? await RollbackGroupAsync(name, members, actor, reason, force, cancellationToken)
            : await RollbackOneAsync(name, actor, reason, evidence, cancellationToken, decidedOnVersion, force);

    private async Task<MigrationState> RollbackOneAsync(
        string name, string actor, string reason, JsonObject? evidence, CancellationToken cancellationToken, long? decidedOnVersion = null, bool force = false)
    {
        var passed = PointOfNoReturnGuard.Check(name, PlanOf(name), _control.Get(name), force);
        var because = Because(reason, $"rolled back by {actor}") + passed;
        using var activity = RolloutActivity.Start(name, actor);
        RolloutActivity.Decided(activity, "rollback", MigrationMode.Legacy, Weight.Zero, because);
        var report = await ReportAsync(name, because, evidence, cancellationToken);
        var rolledBack = await _control.RollbackAsync(name, current =>
        {
            if (decidedOnVersion is { } version && current.Version != version)
            {
                throw new ControlException(409, "Changed meanwhile",
                    $"Migration '{name}' changed (version {current.Version}, not {version}) before the rollback was stored; it is judged again on the new state.");
            }

            PointOfNoReturnGuard.Check(name, PlanOf(name), current, force);

            if (current.Rollout is { } rollout && rollout.Status.IsActive() && MachineFor(name) is { } machine)
            {
                RolloutDecision decision;
                lock (machine)
                {
                    decision = machine.Rollback(current, _time.GetUtcNow(), "rollback", because, report);
                }

                return ToChange(name, decision, actor);
            }

            return new StateChange(name, "rollback", MigrationMode.Legacy, Weight.Zero, actor, passed.Length > 0 ? because : reason, Evidence: report.ToJsonString(Evidence.SerializerOptions));
        }, cancellationToken);
        Publish(RolloutEventKind.RolledBack, rolledBack, actor, $"{name} rolled back: {Because(reason, $"by {actor}")}{passed}", report);
        _ = DrainAsync(name, cancellationToken);
        return rolledBack;
    }

    /// <summary>The failure report of the latest rollback of a migration, or null when it was never rolled back.</summary>
    public async Task<JsonNode?> LatestReportAsync(string name, CancellationToken cancellationToken)
    {
        _control.Get(name);
        var rows = await _control.Store.GetAuditAsync(new AuditQuery(name, 1, Action: "rollback"), cancellationToken);
        return rows.Count == 0 || rows[0].Evidence is not { } json ? null : JsonNode.Parse(json);
    }

    private async Task TickAsync(string name, RolloutMachine machine, CancellationToken cancellationToken)
    {
        var state = _control.Get(name);
        if (await ProposeAsync(name, state, machine, runSmoke: true, cancellationToken) is { } decision)
        {
            await CarryOutAsync(name, state, decision, cancellationToken);
        }
    }

    /// <summary>
    /// Looks at one plan and says which move it wants, or null to stay. Meanwhile it does what
    /// needs no move: starts and stops backfill runs and catch-up passes, runs a smoke step's test
    /// (unless <paramref name="runSmoke"/> is off), tells notices, and saves trigger holds and the
    /// bake checkpoint.
    /// </summary>
    private async Task<RolloutDecision?> ProposeAsync(string name, MigrationState state, RolloutMachine machine, bool runSmoke, CancellationToken cancellationToken)
    {
        if (state.Rollout is not { } rollout || !rollout.Status.IsActive())
        {
            _backfills.Stop(name);
            _backfills.StopFollowing(name);
            _smokesPassed.TryRemove(name, out _);
            return null;
        }

        var step = machine.Plan.Steps[rollout.Step];
        if (rollout.Status != RolloutStatus.Running || step is not BackfillStep)
        {
            _backfills.Stop(name);
        }

        if (DoneCatchUpStep(machine.Plan, rollout) is { } catchUp && _control.Store is IBackfillStore backfills)
        {
            _backfills.Follow(backfills, name, catchUp, cancellationToken);
        }
        else
        {
            _backfills.StopFollowing(name);
        }

        if (rollout.Status == RolloutStatus.Running && step is SmokeStep smoke)
        {
            return runSmoke ? await SmokeAsync(name, state, machine, smoke, cancellationToken) : null;
        }

        _smokesPassed.TryRemove(name, out _);
        var now = _time.GetUtcNow();
        RolloutJudgement judgement;
        TimeSpan? bake;
        IReadOnlyDictionary<string, DateTimeOffset>? holds;
        var backfill = await BackfillFactsAsync(machine.Plan, rollout, cancellationToken);
        lock (machine)
        {
            judgement = machine.Judge(state, now, from => WindowSince(name, from, now), backfill);
            bake = judgement.Decision is null ? machine.BakeToSave(rollout, now) : null;
            holds = judgement.Decision is null ? machine.HoldsToSave() : null;
        }

        if (holds is not null)
        {
            await _control.Store.SaveTriggerHoldsAsync(name, rollout.Step, rollout.StepStartedAt, holds, cancellationToken);
        }

        if (judgement.Notice is { } notice)
        {
            Publish(notice, state, "cutover", judgement.NoticeSummary, judgement.NoticeEvidence);
        }

        if (judgement.Decision is { } decision)
        {
            return decision;
        }

        if (rollout.Status == RolloutStatus.Running && step is BackfillStep copying)
        {
            return BackfillDecision(name, state, machine, copying, cancellationToken);
        }

        if (rollout.Status == RolloutStatus.Running && step is RetireStep)
        {
            return DrainDecision(name, state, machine);
        }

        if (bake is { } baked)
        {
            await _control.Store.SaveBakeAsync(name, rollout.Step, baked, cancellationToken);
        }

        return null;
    }

    /// <summary>Stores a move the orchestrator decided on <paramref name="state"/> (refused when a person changed the migration since) and tells it.</summary>
    private async Task CarryOutAsync(string name, MigrationState state, RolloutDecision decision, CancellationToken cancellationToken)
    {
        if (decision.IsRollback)
        {
            await RollbackOneAsync(name, "cutover", decision.Reason, decision.Evidence, cancellationToken, state.Version);
            return;
        }

        using var activity = RolloutActivity.Start(name, "cutover", decision);
        var changed = await _control.ApplyAsync(name, state.Version, _ => ToChange(name, decision, "cutover"), cancellationToken);
        PublishDecision(decision, changed, "cutover");
    }

    // The share of users the candidate serves in a mode at a weight, 0 to 100.
    private static double CandidateShare(MigrationMode mode, Weight weight) => mode switch
    {
        MigrationMode.Canary => weight.Percent,
        MigrationMode.Candidate or MigrationMode.Retired => 100,
        _ => 0,
    };

    /// <summary>
    /// What the job of the latest backfill step the plan has reached says now, for gates and
    /// triggers on <c>backfill.lagSeconds</c> and <c>backfill.verified</c>; null when none reads it,
    /// the plan has not reached such a step, or the store keeps no jobs.
    /// </summary>
    private async Task<BackfillFacts?> BackfillFactsAsync(RolloutPlan plan, RolloutState? rollout, CancellationToken cancellationToken)
    {
        if (!plan.ReadsBackfill || rollout is null || rollout.Status == RolloutStatus.Ready
            || plan.Steps.Take(rollout.Step + 1).OfType<BackfillStep>().LastOrDefault() is not { } step || _control.Store is not IBackfillStore store)
        {
            return null;
        }

        if (await _backfills.JobNameAsync(step, cancellationToken) is not { } job)
        {
            return new BackfillFacts(step.Describe(), null, false, "its job file cannot be read");
        }

        BackfillRecord? record;
        try
        {
            record = await store.GetBackfillAsync(job, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            return new BackfillFacts(job, null, false, "the store cannot be read");
        }

        if (record is null)
        {
            return new BackfillFacts(job, null, false, "the job has not started");
        }

        var verified = VerifyResult.Parse(record.LastVerify)?.Identical == true;
        return record.Status != BackfillStatus.Completed ? new BackfillFacts(job, null, verified, $"the job is {record.Status.ToString().ToLowerInvariant()}, not completed")
            : record.LastError is { } error ? new BackfillFacts(job, null, verified, $"its latest catch-up pass failed: {error}")
            : new BackfillFacts(job, Math.Max(0, (_time.GetUtcNow() - record.UpdatedAt).TotalSeconds), verified, null);
    }

    /// <summary>The latest backfill step with catch-up that the plan has passed, whose passes run until the plan ends; null when there is none.</summary>
    private static BackfillStep? DoneCatchUpStep(RolloutPlan plan, RolloutState rollout) =>
        plan.Steps.Take(rollout.Step).OfType<BackfillStep>().LastOrDefault(s => s.CatchUpEvery is not null);

    /// <summary>
    /// Follows the job of a backfill step: once it has been copied and verified identical the plan
    /// moves on; when it fails or differs the plan pauses with the job's error or the verify's
    /// figures as evidence. It never rolls back: the data may be half moved, and a person decides.
    /// Null while the job runs, or when it is done outside the plan's window and that was said.
    /// </summary>
    private RolloutDecision? BackfillDecision(string name, MigrationState state, RolloutMachine machine, BackfillStep step, CancellationToken cancellationToken)
    {
        var outcome = _control.Store is IBackfillStore store
            ? _backfills.Poll(store, name, state.Rollout!, step, cancellationToken)
            : new BackfillOutcome(false, $"{step.Describe()} cannot run: this host's store keeps no backfill jobs", []);
        if (outcome is null)
        {
            return null;
        }

        lock (machine)
        {
            var now = _time.GetUtcNow();
            return outcome.Done
                ? machine.Finish(state, now, outcome.Summary, outcome.Evidence).Decision
                : machine.Pause(state, now, outcome.Summary) with { Evidence = outcome.Evidence };
        }
    }

    /// <summary>
    /// Completes a plan at its retire step once the requests legacy was still serving on this
    /// replica have finished, or when the plan's drainTimeout has passed since the step began; the
    /// completion's reason and evidence say which, and how long it took. Null while legacy drains.
    /// </summary>
    /// <remarks>No log line: the audit row and the <c>completed</c> event say it, and a lockstep member proposes it at every look while it waits for the group.</remarks>
    private RolloutDecision? DrainDecision(string name, MigrationState state, RolloutMachine machine)
    {
        var now = _time.GetUtcNow();
        var rollout = state.Rollout!;
        var inFlight = _control.Metrics.For(name).Legacy.InFlight;
        var waited = now - rollout.StepStartedAt;
        var timeout = machine.Plan.DrainTimeout;
        if (inFlight > 0 && waited < timeout)
        {
            return null;
        }

        var evidence = new JsonObject
        {
            ["drain"] = new JsonObject
            {
                ["seconds"] = Math.Round(Math.Max(0, waited.TotalSeconds), 1),
                ["stillInFlight"] = inFlight,
                ["drainTimeout"] = Duration.Format(timeout),
            },
        };
        var reason = inFlight == 0
            ? string.Create(CultureInfo.InvariantCulture, $"retire: legacy drained, no request in flight after {Math.Max(0, waited.TotalSeconds):0.0} s")
            : $"retire: drainTimeout {Duration.Format(timeout)} passed with {inFlight} request(s) still on legacy";
        lock (machine)
        {
            return machine.Advance(state, now, "step", reason, evidence);
        }
    }

    /// <summary>
    /// Runs a smoke step's test: passed, the plan moves on (once inside its window: a test passed
    /// outside it is kept, not run again, until the window opens); failed, it rolls back, or halts
    /// past the point of no return. Null while a passed step waits for the window and has said so.
    /// </summary>
    private async Task<RolloutDecision?> SmokeAsync(string name, MigrationState state, RolloutMachine machine, SmokeStep smoke, CancellationToken cancellationToken)
    {
        var step = (state.Rollout!.Step, state.Rollout.StepStartedAt);
        if (_smokesPassed.TryGetValue(name, out var passed) && passed.Step == step)
        {
            lock (machine)
            {
                return machine.Finish(state, _time.GetUtcNow(), passed.Reason, passed.Evidence.DeepClone().AsObject()).Decision;
            }
        }

        var result = await _smoke.RunAsync(_control.DefinitionOf(name), smoke, cancellationToken);
        var evidence = new JsonObject { ["smoke"] = JsonSerializer.SerializeToNode(result, Evidence.SerializerOptions) };
        lock (machine)
        {
            var now = _time.GetUtcNow();
            if (result.Passed)
            {
                var reason = $"smoke test passed: {result.Summary}";
                _smokesPassed[name] = new PassedSmoke(step, reason, evidence);
                return machine.Finish(state, now, reason, evidence.DeepClone().AsObject()).Decision;
            }

            var failed = $"smoke test failed: {result.Summary}";
            return machine.Plan.HasPassedPointOfNoReturn(state.Rollout)
                ? machine.Halt(state, now, failed, evidence)
                : machine.Rollback(state, now, "rollback", failed, evidence);
        }
    }

    /// <summary>Starts the plan at its first step once the pre-migration checks pass; <paramref name="force"/> starts it anyway, and the audit row keeps the failed checks.</summary>
    private async Task<MigrationState> StartAsync(string name, RolloutMachine machine, bool force, string action, string actor, string reason, CancellationToken cancellationToken) =>
        await StartCheckedAsync(name, machine, force, action, actor, reason, await PreflightAsync(name, force, cancellationToken), cancellationToken);

    /// <summary>The pre-migration checks before a plan starts, as the start's evidence; null when forced (they are skipped); a 409 when one fails.</summary>
    private async Task<JsonObject?> PreflightAsync(string name, bool force, CancellationToken cancellationToken)
    {
        if (force)
        {
            return null;
        }

        var checks = await _preflight.RunAsync(name, cancellationToken);
        if (!checks.Passed)
        {
            throw new ControlException(409, "Checks failed",
                $"The plan of '{name}' does not start while a pre-migration check fails: {checks.Summary()}. " +
                $"Fix it and try again (see `cutover check {name}`), or start anyway with --force (audited; the checks are then skipped).");
        }

        return new JsonObject { ["checks"] = JsonSerializer.SerializeToNode(checks, Evidence.SerializerOptions) };
    }

    private async Task<MigrationState> StartCheckedAsync(
        string name, RolloutMachine machine, bool force, string action, string actor, string reason, JsonObject? evidence, CancellationToken cancellationToken)
    {
        var started = Because(reason, $"plan started by {actor}");
        if (force)
        {
            started += "; pre-migration checks skipped (--force)";
        }

        var now = _time.GetUtcNow();
        return await ChangeAsync(name, current =>
        {
            if (!ReferenceEquals(MachineFor(name), machine))
            {
                throw new ControlException(409, "Plan replaced",
                    $"The plan of '{name}' was replaced (cutover apply) while it was being started; use `cutover {action} {name}` again to start the new plan.");
            }

            lock (machine)
            {
                var decision = machine.Start(current, now, force ? action + " --force" : action, started);
                return decision with { Evidence = evidence };
            }
        }, actor, cancellationToken);
    }

    private async Task<MigrationState> ChangeAsync(string name, Func<MigrationState, RolloutDecision> decide, string actor, CancellationToken cancellationToken)
    {
        RolloutDecision? decided = null;
        using var activity = RolloutActivity.Start(name, actor);
        var changed = await _control.ChangeAsync(name, current =>
        {
            decided = decide(current);
            return ToChange(name, decided, actor);
        }, cancellationToken);
        RolloutActivity.Decided(activity, decided!);
        PublishDecision(decided!, changed, actor);
        return changed;
    }

    private async Task<JsonObject> ReportAsync(string name, string reason, JsonObject? evidence, CancellationToken cancellationToken)
    {
        var state = _control.Get(name);
        var now = _time.GetUtcNow();
        var counters = _control.Metrics.For(name);
        var since = state.Rollout?.WindowStart is { } start && now - start < TimeSpan.FromMinutes(5) ? start : now - TimeSpan.FromMinutes(5);
        var window = WindowSince(name, since, now);
        IReadOnlyList<AuditEntry> timeline = [];
        IReadOnlyList<EndpointDivergence> endpoints = [];
        try
        {
            timeline = await _control.Store.GetAuditAsync(new AuditQuery(name, 50), cancellationToken);
            endpoints = (await _control.Store.GetDivergencesAsync(name, cancellationToken)).Endpoints;
        }
        catch (StoreUnavailableException)
        {
            // The report never stands in the way of a rollback: it goes without the stored parts,
            // and the rollback itself then succeeds or fails on its own.
        }

        return new JsonObject
        {
            ["reason"] = reason,
            ["time"] = now,
            ["before"] = StateText.Format(state),
            ["step"] = state.Rollout is { } rollout && PlanOf(name) is { } plan && rollout.Step < plan.Steps.Count
                ? $"{rollout.Step + 1}/{plan.Steps.Count}: {plan.Steps[rollout.Step].Describe()}"
                : null,
            ["cause"] = evidence?.DeepClone(),
            ["metrics"] = Evidence.Of(window, PlanOf(name)?.MinSamples ?? RolloutPlan.DefaultMinSamples),
            ["candidateInFlight"] = counters.Candidate.InFlight,
            ["recentErrors"] = JsonSerializer.SerializeToNode(counters.RecentErrors.Newest(), Evidence.SerializerOptions),
            ["divergences"] = JsonSerializer.SerializeToNode(endpoints.Take(5), Evidence.SerializerOptions),
            ["timeline"] = JsonSerializer.SerializeToNode(
                timeline.Reverse().Select(a => new { a.Time, a.Actor, a.Action, a.Before, a.After, a.Reason }), Evidence.SerializerOptions),
        };
    }

    private async Task DrainAsync(string name, CancellationToken cancellationToken)
    {
        var candidate = _control.Metrics.For(name).Candidate;
        var timeout = PlanOf(name)?.DrainTimeout ?? RolloutPlan.DefaultDrainTimeout;
        var started = _time.GetTimestamp();
        try
        {
            while (candidate.InFlight > 0 && _time.GetElapsedTime(started) < timeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        CutoverLog.RollbackDrained(_logger, name, candidate.InFlight, _time.GetElapsedTime(started).TotalMilliseconds);
    }

    private MetricsWindow WindowSince(string name, DateTimeOffset from, DateTimeOffset now) => _metrics.Window(name, from, now);

    private void PublishDecision(RolloutDecision decision, MigrationState changed, string actor)
    {
        if (decision.Event is { } kind)
        {
            Publish(kind, changed, actor, $"{changed.Name}: {decision.Reason}", decision.Evidence);
        }
    }

    private void Publish(RolloutEventKind kind, MigrationState state, string actor, string summary, JsonObject? evidence)
    {
        var plan = PlanOf(state.Name);
        var step = state.Rollout is { } rollout && plan is not null && rollout.Step < plan.Steps.Count ? rollout.Step + 1 : (int?)null;
        var told = new RolloutEvent(kind, state.Name, _time.GetUtcNow(), actor, summary, StateText.Format(state.Mode, state.Weight), step,
            plan?.Steps.Count ?? 0, evidence?.DeepClone());
        // The stream gets its own copy of the evidence: the webhooks serialize theirs on another thread.
        var forStream = Published is null ? null : told with { Evidence = told.Evidence?.DeepClone() };
        _events.Publish(told);
        if (forStream is not null)
        {
            Published?.Invoke(forStream);
        }
    }

    private RolloutMachine MachineOf(string name) =>
        MachineFor(name) ?? throw new ControlException(409, "No plan",
            $"Migration '{name}' has no plan; add a 'plan' section to its config (see docs/plans.md) and apply the file with `cutover apply -f FILE`, or move it by hand with `cutover weight`.");

    /// <summary>
    /// The machine that follows a migration's current plan, or null when it has none. A plan
    /// replaced by <c>cutover apply</c> gets a new machine; apply never replaces a plan under way,
    /// so no trigger or bake clock of a running plan is lost by it.
    /// </summary>
    private RolloutMachine? MachineFor(string name)
    {
        var definition = _control.DefinitionOf(name);
        lock (_machines)
        {
            if (definition.Plan is not { } plan)
            {
                _machines.Remove(name);
                return null;
            }

            if (!_machines.TryGetValue(name, out var machine) || !ReferenceEquals(machine.Plan, plan))
            {
                machine = new RolloutMachine(plan, definition.Shadow.AlsoInCanary);
                _machines[name] = machine;
            }

            return machine;
        }
    }

    private static StateChange ToChange(string name, RolloutDecision decision, string actor) =>
        new(name, decision.Action, decision.Mode, decision.Weight, actor, decision.Reason,
            Rollout: decision.Rollout, Evidence: decision.Evidence?.ToJsonString(Evidence.SerializerOptions));

    private static void EnsureActive(string name, MigrationState state, RolloutMachine machine)
    {
        if (state.Rollout?.Status.IsActive() != true)
        {
            throw new ControlException(409, "Plan not under way", $"The plan of '{name}' is {StatusOf(state)}; nothing to promote. {Hint(name, state, machine)}");
        }
    }

    private static ControlException NotRunning(string name, MigrationState state, string command, RolloutMachine machine) => new(409, "Plan not in that state",
        $"Cannot {command} '{name}': its plan is {StatusOf(state)}. {Hint(name, state, machine)}");

    /// <summary>What works on the plan now, so a refusal never points at a command that is refused in turn.</summary>
    private static string Hint(string name, MigrationState state, RolloutMachine machine) =>
        PlanHints.For(
            state.Rollout?.Status ?? RolloutStatus.Ready,
            name,
            state.Rollout is { Status: RolloutStatus.Paused, Step: var step } && step < machine.Plan.Steps.Count && machine.Plan.Steps[step] is PauseStep { Duration: null });

    private static string StatusOf(MigrationState state) => (state.Rollout?.Status ?? RolloutStatus.Ready).ToWire();

    private static string Because(string reason, string fallback) => reason.Length > 0 ? reason : fallback;

    /// <summary>A smoke test a plan's step passed, its step known by index and the moment it was entered.</summary>
    private sealed record PassedSmoke((int Index, DateTimeOffset StartedAt) Step, string Reason, JsonObject Evidence);
}
