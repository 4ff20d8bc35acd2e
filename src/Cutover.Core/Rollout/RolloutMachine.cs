using System.Globalization;
using System.Text.Json.Nodes;
using Cutover.Core.Analysis;
using Cutover.Core.State;
using Cutover.Core.Values;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Rollout;

/// <summary>
/// One migration's plan as a state machine: given the stored state, the time and the metrics, it
/// decides the next move (enter a step, pass the gates, pause, roll back) and never performs it,
/// so every rule is tested without a proxy, a store or a clock. It keeps in memory only what a
/// restart may lose safely: how long each trigger has held (a restart starts counting again,
/// which delays a rollback by at most the trigger's duration but never causes one; the holds are
/// saved for other replicas to show, see <see cref="HoldsToSave"/>, never read back to judge) and
/// the anchor of the bake clock (the stored bake, checkpointed every <see cref="BakeCheckpoint"/>).
/// </summary>
/// <param name="plan">The plan followed.</param>
/// <param name="mirrorsInCanary">Whether the migration also shadows in canary mode, so a divergence gate can be judged at a weight step.</param>
public sealed class RolloutMachine(RolloutPlan plan, bool mirrorsInCanary = false)
{
    /// <summary>How much bake time may pass between checkpoints in the store: the most a crash can take back.</summary>
    public static readonly TimeSpan BakeCheckpoint = TimeSpan.FromSeconds(10);

    // A trigger looks at the shortest of these windows that holds enough samples, so a candidate
    // that fails hard is seen within a second at high traffic and still judged at low traffic.
    private static readonly TimeSpan[] TriggerWindows =
        [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5)];

    private readonly Dictionary<string, DateTimeOffset> _holdingSince = new(StringComparer.Ordinal);
    private bool _holdsChanged;
    private (int Step, DateTimeOffset StartedAt, RolloutStatus Status)? _tracked;
    private DateTimeOffset _anchor;
    private TimeSpan _bakedAtAnchor;
    private TimeSpan _saved;
    private ((int Step, DateTimeOffset StartedAt, RolloutStatus Status) Key, DateTimeOffset At)? _announced;
    private DateTimeOffset? _gatesUnmetSince;
    private bool _gateFailureTold;

    /// <summary>The plan followed.</summary>
    public RolloutPlan Plan => plan;

    /// <summary>How long the current step has baked: the stored bake plus the time this process has watched it run.</summary>
    public TimeSpan Baked(RolloutState rollout, DateTimeOffset now)
    {
        Track(rollout, now);
        return rollout.Status == RolloutStatus.Running ? _bakedAtAnchor + (now - _anchor) : _bakedAtAnchor;
    }

    /// <summary>The bake to checkpoint in the store now, or null when the last checkpoint is recent enough.</summary>
    public TimeSpan? BakeToSave(RolloutState rollout, DateTimeOffset now)
    {
        var baked = Baked(rollout, now);
        if (rollout.Status != RolloutStatus.Running || baked - _saved < BakeCheckpoint)
        {
            return null;
        }

        _saved = baked;
        return baked;
    }

    /// <summary>
    /// Since when each trigger has held, when that changed since the last call (a trigger started
    /// or stopped holding, the step changed, or this process took over), else null: what to save
    /// for the replicas that do not run the plans to show (<see cref="Read"/>).
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? HoldsToSave()
    {
        if (!_holdsChanged)
        {
            return null;
        }

        _holdsChanged = false;
        return new Dictionary<string, DateTimeOffset>(_holdingSince, StringComparer.Ordinal);
    }

    /// <summary>
    /// Looks at a migration once: triggers first (they roll back a running or paused plan), then
    /// whether the current step is done and its gates pass.
    /// </summary>
    /// <param name="state">The stored state.</param>
    /// <param name="now">The time.</param>
    /// <param name="since">The metrics of both sides from a moment until now.</param>
    /// <param name="backfill">What the plan's backfill job says now, for conditions on it; null before the plan reaches a backfill step.</param>
    public RolloutJudgement Judge(MigrationState state, DateTimeOffset now, Func<DateTimeOffset, MetricsWindow> since, BackfillFacts? backfill = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(since);
        if (state.Rollout is not { } rollout || !rollout.Status.IsActive())
        {
            return RolloutJudgement.None;
        }

        Track(rollout, now);
        // Past the point of no return a trigger halts a running plan; a paused one already waits for a person.
        var halts = plan.HasPassedPointOfNoReturn(rollout);
        if ((!halts || rollout.Status == RolloutStatus.Running) && FiredTrigger(state, rollout, now, since, backfill) is { } fired)
        {
            return halts ? new RolloutJudgement(Halt(state, now, fired.Decision!.Reason, fired.Decision.Evidence), fired.Notice, fired.NoticeSummary, fired.NoticeEvidence) : fired;
        }

        if (rollout.Status != RolloutStatus.Running)
        {
            return RolloutJudgement.None;
        }

        var step = plan.Steps[rollout.Step];
        var baked = Baked(rollout, now);
        switch (step)
        {
            case PointOfNoReturnStep:
                return MoveOn(state, rollout, now, baked, $"{step.Describe()}: passed", evidence: null);
            case ShadowStep shadow when baked < shadow.Duration:
            case PauseStep { Duration: { } duration } when baked < duration:
            case PauseStep { Duration: null }:
            case SmokeStep:
            case BackfillStep:
            case RetireStep:
                return RolloutJudgement.None;
        }

        var window = since(GatesFrom(rollout));
        if (step is ShadowStep { MinRequests: var minimum } && window.Compared < minimum)
        {
            return PastDeadline(state, rollout, now, baked, Evidence.Of(window, plan.MinSamples), [$"{window.Compared} of {minimum} compared pairs"])
                ?? RolloutJudgement.None;
        }

        var gates = EvaluateGates(state.Mode, state.Weight, window, backfill);
        var evidence = Evidence.Of(window, plan.MinSamples, gates: gates);
        if (gates.All(g => g.Verdict == ConditionVerdict.Met))
        {
            var reason = gates.Count == 0 ? $"{step.Describe()} done" : $"{step.Describe()} done; gates met: {string.Join("; ", gates.Select(g => g.Detail))}";
            return MoveOn(state, rollout, now, baked, reason, evidence);
        }

        _gatesUnmetSince ??= now;
        var held = gates.Where(g => g.Verdict != ConditionVerdict.Met).Select(g => $"{g.Condition}: {g.Detail}").ToList();
        if (PastDeadline(state, rollout, now, baked, evidence, held) is { } late)
        {
            return late;
        }

        var unmet = string.Join("; ", held);
        if (now - _gatesUnmetSince >= plan.InconclusiveAfter)
        {
            var note = $"gates not met for {Duration.Format(plan.InconclusiveAfter)}: {unmet}";
            return new RolloutJudgement(Decide(now, "pause", state.Mode, state.Weight,
                rollout with { Status = RolloutStatus.Paused, Baked = baked, Note = note }, note, RolloutEventKind.Paused, evidence));
        }

        if (!_gateFailureTold && gates.Any(g => g.Verdict == ConditionVerdict.NotMet))
        {
            _gateFailureTold = true;
            return new RolloutJudgement(null, RolloutEventKind.GateFailed, $"{state.Name}: gate not met at {step.Describe()}: {unmet}", evidence);
        }

        return RolloutJudgement.None;
    }

    /// <summary>
    /// What the gates and triggers read now, for a person watching the plan: the same evaluations
    /// <see cref="Judge"/> makes, with how long each trigger has held, and no decision. A trigger
    /// counts as holding only while the plan is under way, as only then can it roll back.
    /// </summary>
    /// <param name="state">The stored state.</param>
    /// <param name="now">The time.</param>
    /// <param name="since">The metrics of both sides from a moment until now.</param>
    /// <param name="holding">
    /// Since when each trigger has held as saved by the replica that runs the plans; null for what
    /// this process has seen, which is nothing on a replica that does not run them.
    /// </param>
    /// <param name="backfill">What the plan's backfill job says now; null before the plan reaches a backfill step.</param>
    public PlanReading Read(
        MigrationState state, DateTimeOffset now, Func<DateTimeOffset, MetricsWindow> since, IReadOnlyDictionary<string, DateTimeOffset>? holding = null, BackfillFacts? backfill = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(since);
        var rollout = state.Rollout;
        var active = rollout is not null && rollout.Status.IsActive();
        var floor = active ? rollout!.WindowStart : now - TriggerWindows[^1];
        var holds = holding ?? _holdingSince;
        var window = since(active ? GatesFrom(rollout!) : floor);
        var triggers = plan.Triggers
            .Select(t => new TriggerReading(EvaluateTrigger(t, floor, now, since, backfill).Evaluation, t.For,
                active && holds.TryGetValue(t.Text, out var held) ? held : null))
            .ToList();
        var bake = active && rollout!.Step < plan.Steps.Count ? plan.Steps[rollout.Step].Bake : null;
        // As the latency gates read it: on fewer than minSamples requests a side, the test is inconclusive.
        var enough = window.Candidate.Requests >= plan.MinSamples && window.Legacy.Requests >= plan.MinSamples;
        return new PlanReading(window.From, window.To, plan.MinSamples, EvaluateGates(state.Mode, state.Weight, window, backfill), triggers,
            enough ? new AnalysisInput(window, plan.MinSamples).Latency : null, bake, rollout?.Status ?? RolloutStatus.Ready);
    }

    /// <summary>
    /// Where the window of a step's gates starts: the first 10-second bucket that begins at or
    /// after the current traffic level was set. The bucket the level changed in also holds the
    /// previous level's requests, so it is left out whole, and a step entered mid-bucket waits
    /// for the next one: its gates see only requests counted at its own level.
    /// </summary>
    public static DateTimeOffset GatesFrom(RolloutState rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return MetricsHistory.FirstBucketFrom(rollout.WindowStart);
    }

    /// <summary>
    /// The gates that can be judged at the current traffic, evaluated over a window. A gate on a
    /// side that serves nothing by design (the candidate while shadowing, legacy at 100%,
    /// divergence without mirroring) is left out rather than left inconclusive forever. While the
    /// candidate serves users, gates are passed only on at least <c>minSamples</c> of its requests
    /// in the window: count gates (<c>candidate.errors &lt;= 0</c>) are never inconclusive, and a
    /// step must not be left on a handful of requests. A gate on the backfill job is judged once
    /// the plan has reached a backfill step (<paramref name="backfill"/> given), and left out before.
    /// </summary>
    public IReadOnlyList<ConditionEvaluation> EvaluateGates(MigrationMode mode, Weight weight, MetricsWindow window, BackfillFacts? backfill = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        var input = new AnalysisInput(window, plan.MinSamples) { Backfill = backfill };
        var gates = plan.Gates
            .Where(g => g.Metrics.All(metric => CanJudge(metric, mode, weight, backfill is not null)))
            .Select(g => g.Evaluate(input))
            .ToList();
        if (gates.Count > 0 && CandidateServes(mode, weight) && window.Candidate.Requests < plan.MinSamples)
        {
            gates.Add(TooFewAtThisLevel(window.Candidate.Requests));
        }

        return gates;
    }

    private static bool CandidateServes(MigrationMode mode, Weight weight) =>
        mode == MigrationMode.Candidate || (mode == MigrationMode.Canary && weight > Weight.Zero);

    private ConditionEvaluation TooFewAtThisLevel(long requests) => new(
        $"candidate.requests >= {plan.MinSamples}",
        ConditionVerdict.Inconclusive,
        requests,
        plan.MinSamples,
        $"inconclusive: {requests} candidate requests at this traffic level, minSamples is {plan.MinSamples}");

    private bool CanJudge(string metric, MigrationMode mode, Weight weight, bool backfillReached)
    {
        var candidateServes = CandidateServes(mode, weight);
        var legacyServes = mode is MigrationMode.Legacy or MigrationMode.Shadow || (mode == MigrationMode.Canary && weight < Weight.Full);
        return metric switch
        {
            "divergenceRate" => mode == MigrationMode.Shadow || (mode == MigrationMode.Canary && mirrorsInCanary),
            "healthScore" => true,
            _ when metric.StartsWith(BackfillFacts.MetricPrefix, StringComparison.Ordinal) => backfillReached,
            _ when metric.StartsWith("candidate.", StringComparison.Ordinal) => candidateServes,
            _ when metric.StartsWith("legacy.", StringComparison.Ordinal) => legacyServes,
            _ => candidateServes && legacyServes,
        };
    }

    /// <summary>Starts (or restarts, after a rollback or abort) the plan at its first step.</summary>
    public RolloutDecision Start(MigrationState state, DateTimeOffset now, string action, string reason) =>
        Enter(state, 0, now, action, reason, evidence: null);

    /// <summary>Moves to the next step; the caller has checked the gates or been told to skip them.</summary>
    public RolloutDecision Advance(MigrationState state, DateTimeOffset now, string action, string reason, JsonObject? evidence) =>
        Enter(state, state.Rollout!.Step + 1, now, action, reason, evidence);

    /// <summary>Stops the plan where it is, keeping the bake done so far, until a person resumes or promotes.</summary>
    public RolloutDecision Pause(MigrationState state, DateTimeOffset now, string note) =>
        Decide(now, "pause", state.Mode, state.Weight,
            state.Rollout! with { Status = RolloutStatus.Paused, Baked = Baked(state.Rollout!, now), Note = note }, note, RolloutEventKind.Paused, null);

    /// <summary>Lets a paused plan run again from the bake it had.</summary>
    public RolloutDecision Resume(MigrationState state, DateTimeOffset now, string reason) =>
        Decide(now, "resume", state.Mode, state.Weight,
            state.Rollout! with { Status = RolloutStatus.Running, Note = plan.Steps[state.Rollout!.Step].Describe() }, reason, null, null);

    /// <summary>
    /// Pauses the plan where it is instead of rolling back, because it has passed its point of no
    /// return: legacy no longer holds current data, so sending users back would lose their writes.
    /// </summary>
    /// <param name="state">The stored state.</param>
    /// <param name="now">The time.</param>
    /// <param name="cause">What would have rolled back ("trigger fired: …", "smoke test failed: …").</param>
    /// <param name="evidence">The cause's measurements; the point of no return is added to them.</param>
    public RolloutDecision Halt(MigrationState state, DateTimeOffset now, string cause, JsonObject? evidence)
    {
        ArgumentNullException.ThrowIfNull(state);
        var index = plan.PointOfNoReturnIndex() ?? throw new InvalidOperationException("Only a plan with a point of no return halts.");
        var note = $"halted: {cause}; legacy no longer holds current data since step {index + 1} ({plan.Steps[index].Describe()}), so users stay where they are until a person decides";
        var halted = evidence ?? [];
        halted["pointOfNoReturn"] = new JsonObject { ["step"] = index + 1, ["note"] = ((PointOfNoReturnStep)plan.Steps[index]).Note };
        return Decide(now, "halt", state.Mode, state.Weight,
            state.Rollout! with { Status = RolloutStatus.Paused, Baked = Baked(state.Rollout!, now), Note = note }, note, RolloutEventKind.Halted, halted);
    }

    /// <summary>Sends all traffic back to legacy and ends the plan as rolled back.</summary>
    public RolloutDecision Rollback(MigrationState state, DateTimeOffset now, string action, string reason, JsonObject? evidence) =>
        Decide(now, action, MigrationMode.Legacy, Weight.Zero, Progress(state, now) with { Status = RolloutStatus.RolledBack, Note = reason }, reason, RolloutEventKind.RolledBack, evidence);

    /// <summary>Ends the plan and leaves traffic where it is, for a person to take over.</summary>
    public RolloutDecision Abort(MigrationState state, DateTimeOffset now, string reason) =>
        Decide(now, "abort", state.Mode, state.Weight, Progress(state, now) with { Status = RolloutStatus.Aborted, Note = reason }, reason, RolloutEventKind.Paused, null);

    private RolloutJudgement? FiredTrigger(MigrationState state, RolloutState rollout, DateTimeOffset now, Func<DateTimeOffset, MetricsWindow> since, BackfillFacts? backfill)
    {
        if (state.Mode is not (MigrationMode.Shadow or MigrationMode.Canary or MigrationMode.Candidate))
        {
            ClearHolds();
            return null;
        }

        foreach (var trigger in plan.Triggers)
        {
            var (evaluation, window) = EvaluateTrigger(trigger, rollout.WindowStart, now, since, backfill);
            switch (evaluation.Verdict)
            {
                case ConditionVerdict.NotMet:
                    _holdsChanged |= _holdingSince.Remove(trigger.Text);
                    continue;
                case ConditionVerdict.Inconclusive:
                    continue;
            }

            if (!_holdingSince.TryGetValue(trigger.Text, out var holding))
            {
                _holdingSince[trigger.Text] = holding = now;
                _holdsChanged = true;
            }

            if (now - holding < trigger.For)
            {
                continue;
            }

            ClearHolds();
            var reason = trigger.For > TimeSpan.Zero
                ? $"trigger fired: {trigger.Text} ({evaluation.Detail}, held since {holding:O})"
                : $"trigger fired: {trigger.Text} ({evaluation.Detail})";
            var evidence = Evidence.Of(window, plan.MinSamples, trigger: evaluation, holdingSince: holding);
            return new RolloutJudgement(Rollback(state, now, "rollback", reason, evidence), RolloutEventKind.TriggerFired, $"{state.Name}: {reason}", evidence);
        }

        return null;
    }

    /// <summary>
    /// Leaves the current step, done by work run outside the machine (a backfill step's job), as
    /// the machine leaves its own: at once inside the plan's window, else a <c>wait</c> that says
    /// once when the window opens, and nothing more until it does.
    /// </summary>
    public RolloutJudgement Finish(MigrationState state, DateTimeOffset now, string reason, JsonObject? evidence)
    {
        ArgumentNullException.ThrowIfNull(state);
        var rollout = state.Rollout ?? throw new ArgumentException("The plan has not started.", nameof(state));
        return MoveOn(state, rollout, now, Baked(rollout, now), reason, evidence);
    }

    /// <summary>Leaves a step that is done, or, outside the plan's window, says once (in its note) when the window opens.</summary>
    private RolloutJudgement MoveOn(MigrationState state, RolloutState rollout, DateTimeOffset now, TimeSpan baked, string reason, JsonObject? evidence)
    {
        if (plan.Window is not { } window || window.IsOpen(now))
        {
            return new RolloutJudgement(Advance(state, now, "step", reason, evidence));
        }

        var opens = TimeZoneInfo.ConvertTime(window.NextOpening(now), window.Zone);
        var note = string.Create(CultureInfo.InvariantCulture,
            $"{plan.Steps[rollout.Step].Describe()} done; waiting for the window ({window.Describe()}), opens at {opens:yyyy-MM-dd'T'HH:mmzzz}");
        return rollout.Note == note
            ? RolloutJudgement.None
            : new RolloutJudgement(Decide(now, "wait", state.Mode, state.Weight, rollout with { Baked = baked, Note = note }, $"{reason}; {note}", null, evidence));
    }

    /// <summary>
    /// Pauses for a person when the step has run past its progress deadline (its own, else the plan's; or, after a
    /// resume, past the next whole multiple of it) without being done; null otherwise.
    /// </summary>
    private RolloutJudgement? PastDeadline(MigrationState state, RolloutState rollout, DateTimeOffset now, TimeSpan baked, JsonObject evidence, IReadOnlyList<string> heldBy)
    {
        if ((plan.Steps[rollout.Step].ProgressDeadline ?? plan.ProgressDeadline) is not { } deadline || baked < deadline || Math.Floor(baked / deadline) <= Math.Floor(_bakedAtAnchor / deadline))
        {
            return null;
        }

        var note = $"progress deadline {Duration.Format(deadline)} passed at step {rollout.Step + 1} ({plan.Steps[rollout.Step].Describe()}); held by: {string.Join("; ", heldBy)}";
        evidence["progressDeadline"] = new JsonObject
        {
            ["deadline"] = Duration.Format(deadline),
            ["bakedSeconds"] = Math.Round(baked.TotalSeconds, 1),
            ["heldBy"] = new JsonArray([.. heldBy.Select(h => JsonValue.Create(h))]),
        };
        return new RolloutJudgement(Decide(now, "pause", state.Mode, state.Weight,
            rollout with { Status = RolloutStatus.Paused, Baked = baked, Note = note }, note, RolloutEventKind.Paused, evidence));
    }

    private (ConditionEvaluation Evaluation, MetricsWindow Window) EvaluateTrigger(
        Condition trigger, DateTimeOffset floor, DateTimeOffset now, Func<DateTimeOffset, MetricsWindow> since, BackfillFacts? backfill)
    {
        (ConditionEvaluation, MetricsWindow) last = default;
        foreach (var length in TriggerWindows)
        {
            var from = now - length < floor ? floor : now - length;
            var window = since(from);
            last = (trigger.Evaluate(new AnalysisInput(window, plan.MinSamples) { Backfill = backfill }), window);
            if (last.Item1.Verdict != ConditionVerdict.Inconclusive || from == floor)
            {
                break;
            }
        }

        return last;
    }

    private RolloutDecision Enter(MigrationState state, int index, DateTimeOffset now, string action, string reason, JsonObject? evidence)
    {
        var windowStart = state.Rollout?.WindowStart ?? now;
        if (index >= plan.Steps.Count)
        {
            var note = plan.Steps[^1] is RetireStep ? "completed: legacy retired" : "completed";
            return Decide(now, action, state.Mode, state.Weight,
                new RolloutState(RolloutStatus.Completed, plan.Steps.Count, now, windowStart, TimeSpan.Zero, note), reason, RolloutEventKind.Completed, evidence);
        }

        var step = plan.Steps[index];
        var running = new RolloutState(RolloutStatus.Running, index, now, windowStart, TimeSpan.Zero, step.Describe());
        return step switch
        {
            ShadowStep => Decide(now, action, MigrationMode.Shadow, state.Weight, running with { WindowStart = now }, reason, RolloutEventKind.StepAdvanced, evidence),
            WeightStep weight => Decide(now, action, MigrationMode.Canary, weight.Weight, running with { WindowStart = now }, reason, RolloutEventKind.StepAdvanced, evidence),
            PauseStep { Duration: null } => Decide(now, action, state.Mode, state.Weight,
                running with { Status = RolloutStatus.Paused, Note = "waiting for `cutover promote`" }, reason, RolloutEventKind.Paused, evidence),
            RetireStep => Decide(now, action, MigrationMode.Retired, state.Weight,
                running with { Note = $"retire: legacy gets no new requests; waiting up to {Duration.Format(plan.DrainTimeout)} (drainTimeout) for those it still serves" },
                reason, RolloutEventKind.StepAdvanced, evidence),
            _ => Decide(now, action, state.Mode, state.Weight, running, reason, RolloutEventKind.StepAdvanced, evidence),
        };
    }

    private RolloutState Progress(MigrationState state, DateTimeOffset now) =>
        state.Rollout is { } rollout
            ? rollout with { Baked = Baked(rollout, now) }
            : new RolloutState(RolloutStatus.Ready, 0, now, now, TimeSpan.Zero, string.Empty);

    private RolloutDecision Decide(
        DateTimeOffset now,
        string action, MigrationMode mode, Weight weight, RolloutState rollout, string reason, RolloutEventKind? kind, JsonObject? evidence)
    {
        // The bake of a step this machine entered (or resumed) counts from that moment, not from
        // when the stored state is next read.
        _announced = ((rollout.Step, rollout.StepStartedAt, rollout.Status), now);
        return new(action, mode, weight, rollout, reason, kind, evidence);
    }

    /// <summary>
    /// Forgets what this process watched, as a restart would: the bake is counted again from the
    /// stored checkpoint and triggers start holding afresh. For a replica that takes over the plans
    /// from another, whose progress it knows only from the store.
    /// </summary>
    public void Forget()
    {
        _tracked = null;
        _announced = null;
        _holdingSince.Clear();
        _holdsChanged = true;
        _gatesUnmetSince = null;
        _gateFailureTold = false;
    }

    private void ClearHolds()
    {
        _holdsChanged |= _holdingSince.Count > 0;
        _holdingSince.Clear();
    }

    private void Track(RolloutState rollout, DateTimeOffset now)
    {
        var key = (rollout.Step, rollout.StepStartedAt, rollout.Status);
        if (_tracked == key)
        {
            return;
        }

        if (_tracked is not { } previous || previous.Step != rollout.Step || previous.StartedAt != rollout.StepStartedAt)
        {
            _gatesUnmetSince = null;
            _gateFailureTold = false;
            ClearHolds();
        }

        _tracked = key;
        _anchor = _announced is { } announced && announced.Key == key && announced.At <= now ? announced.At : now;
        _bakedAtAnchor = rollout.Baked;
        _saved = rollout.Baked;
    }
}
