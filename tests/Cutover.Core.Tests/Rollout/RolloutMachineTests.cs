using Cutover.Core.Analysis;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Core.Tests.Analysis;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Rollout;

/// <summary>The plan's state machine, with time and metrics given in: bake times, gates and 'for' durations in milliseconds of test time.</summary>
public sealed class RolloutMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly MetricsWindow Healthy = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 0, 10_000));
    private static readonly MetricsWindow Failing = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 40, 10_000));
    private static readonly MetricsWindow Thin = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(5, 0, 10_000));

    private static RolloutPlan Plan(params PlanStep[] steps) => new(
        steps,
        [Condition.Parse("candidate.errorRate <= 0.01")],
        [Condition.Parse("candidate.errorRate > 0.05 for 1m")],
        100,
        TimeSpan.FromMinutes(30),
        TimeSpan.FromSeconds(30));

    private static MigrationState Apply(MigrationState state, RolloutDecision decision) =>
        state with { Mode = decision.Mode, Weight = decision.Weight, Rollout = decision.Rollout, Version = state.Version + 1 };

    private static MigrationState Legacy => new("orders", MigrationMode.Legacy, Weight.Zero, 1, T0);

    [Fact]
    public void Start_EntersTheFirstStep_SettingItsTraffic()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new WeightStep((Weight)100), new RetireStep()));

        var decision = machine.Start(Legacy, T0, "start", "go");

        Assert.Equal((MigrationMode.Canary, 5.0, RolloutStatus.Running, 0), (decision.Mode, decision.Weight, decision.Rollout.Status, decision.Rollout.Step));
        Assert.Equal((T0, T0), (decision.Rollout.StepStartedAt, decision.Rollout.WindowStart));
        Assert.Equal(RolloutEventKind.StepAdvanced, decision.Event);
    }

    [Fact]
    public void WeightStep_GatesMet_AdvancesWithTheGatesAsEvidence()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new WeightStep((Weight)25)));
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));

        var judgement = machine.Judge(state, T0.AddSeconds(1), _ => Healthy);

        var decision = Assert.IsType<RolloutDecision>(judgement.Decision);
        Assert.Equal((MigrationMode.Canary, 25.0, 1), (decision.Mode, decision.Weight, decision.Rollout.Step));
        Assert.Equal("met", decision.Evidence!["gates"]![0]!["verdict"]!.GetValue<string>());
        Assert.Contains("gates met: candidate.errorRate 0 <= 0.01", decision.Reason);
    }

    [Fact]
    public void WeightStep_TooFewSamples_WaitsThenPausesForAPersonAfterInconclusiveAfter()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new WeightStep((Weight)25)));
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));

        var early = machine.Judge(state, T0.AddSeconds(1), _ => Thin);
        var beforeLimit = machine.Judge(state, T0.AddSeconds(1).AddMinutes(30).AddMilliseconds(-1), _ => Thin);
        var atLimit = machine.Judge(state, T0.AddSeconds(1).AddMinutes(30), _ => Thin);

        Assert.Equal(RolloutJudgement.None, early);
        Assert.Equal(RolloutJudgement.None, beforeLimit);
        var pause = Assert.IsType<RolloutDecision>(atLimit.Decision);
        Assert.Equal((RolloutStatus.Paused, 0, MigrationMode.Canary, 5.0), (pause.Rollout.Status, pause.Rollout.Step, pause.Mode, pause.Weight));
        Assert.StartsWith("gates not met for 30m: candidate.errorRate <= 0.01: inconclusive", pause.Rollout.Note);
        Assert.Equal(RolloutEventKind.Paused, pause.Event);
    }

    [Fact]
    public void WeightStep_CountGateMetOnFewerThanMinSamples_WaitsForMinSamplesAtItsLevel()
    {
        var plan = Plan(new WeightStep((Weight)5), new WeightStep((Weight)25)) with { Gates = [Condition.Parse("candidate.errors <= 0")] };
        var machine = new RolloutMachine(plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));

        var thin = machine.Judge(state, T0.AddSeconds(10), _ => Thin);
        var enough = machine.Judge(state, T0.AddSeconds(11), _ => Healthy);

        Assert.Equal(RolloutJudgement.None, thin);
        Assert.Equal(1, Assert.IsType<RolloutDecision>(enough.Decision).Rollout.Step);
    }

    [Fact]
    public void WeightStep_GateNotMet_ToldOnceAndTheStepHolds()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new WeightStep((Weight)25)));
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        var mild = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 4, 10_000));

        var first = machine.Judge(state, T0.AddSeconds(1), _ => mild);
        var second = machine.Judge(state, T0.AddSeconds(2), _ => mild);

        Assert.Null(first.Decision);
        Assert.Equal(RolloutEventKind.GateFailed, first.Notice);
        Assert.Contains("candidate.errorRate 0.02 is not <= 0.01", first.NoticeSummary);
        Assert.Equal(RolloutJudgement.None, second);
    }

    [Fact]
    public void TimedPause_AdvancesOnlyOnceTheBakeIsDone()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new PauseStep(TimeSpan.FromMinutes(5)), new WeightStep((Weight)25)));
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        state = Apply(state, machine.Judge(state, T0.AddSeconds(1), _ => Healthy).Decision!);
        var pausedAt = T0.AddSeconds(1);

        var early = machine.Judge(state, pausedAt.AddMinutes(5).AddMilliseconds(-1), _ => Healthy);
        var done = machine.Judge(state, pausedAt.AddMinutes(5), _ => Healthy);

        Assert.Null(early.Decision);
        Assert.Equal((25.0, 2), (done.Decision!.Weight, done.Decision.Rollout.Step));
    }

    [Fact]
    public void RestartMidBake_ResumesWithTheBakeTimeLeftNotCountingDowntime()
    {
        var plan = Plan(new WeightStep((Weight)5), new PauseStep(TimeSpan.FromMinutes(10)), new WeightStep((Weight)25));
        var stored = Legacy with
        {
            Mode = MigrationMode.Canary,
            Weight = (Weight)5,
            Rollout = new RolloutState(RolloutStatus.Running, 1, T0, T0, TimeSpan.FromMinutes(4), "pause 10m"),
        };
        var restarted = new RolloutMachine(plan);
        var upAgain = T0.AddHours(2);

        var first = restarted.Judge(stored, upAgain, _ => Healthy);
        var early = restarted.Judge(stored, upAgain.AddMinutes(6).AddMilliseconds(-1), _ => Healthy);
        var done = restarted.Judge(stored, upAgain.AddMinutes(6), _ => Healthy);

        Assert.Null(first.Decision);
        Assert.Null(early.Decision);
        Assert.Equal(2, done.Decision!.Rollout.Step);
    }

    [Fact]
    public void Forget_ATakeOverMidBake_ResumesFromTheStoredCheckpointAsARestartWould()
    {
        var plan = Plan(new WeightStep((Weight)5), new PauseStep(TimeSpan.FromMinutes(10)), new WeightStep((Weight)25));
        var running = new RolloutState(RolloutStatus.Running, 1, T0, T0, TimeSpan.Zero, "pause 10m");
        var standby = new RolloutMachine(plan);
        Assert.Equal(TimeSpan.Zero, standby.Baked(running, T0));

        // The replica that ran the plan checkpointed 4 minutes, then died; this one takes over 5 minutes in.
        standby.Forget();
        var checkpointed = running with { Baked = TimeSpan.FromMinutes(4) };

        Assert.Equal(TimeSpan.FromMinutes(4), standby.Baked(checkpointed, T0.AddMinutes(5)));
        Assert.Equal(TimeSpan.FromMinutes(5), standby.Baked(checkpointed, T0.AddMinutes(6)));
    }

    [Fact]
    public void BakeToSave_CheckpointsEveryTenSecondsOfBake()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new PauseStep(TimeSpan.FromMinutes(10))));
        var rollout = new RolloutState(RolloutStatus.Running, 1, T0, T0, TimeSpan.Zero, "pause 10m");

        var saves = Enumerable.Range(0, 25).Select(s => machine.BakeToSave(rollout, T0.AddSeconds(s))).Where(b => b is not null).ToList();

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], saves);
    }

    [Fact]
    public void Trigger_HoldsForItsDuration_ThenRollsBackWithEvidence()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new PauseStep(null)));
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        var started = T0.AddSeconds(5);

        var first = machine.Judge(state, started, _ => Failing);
        var almost = machine.Judge(state, started.AddMinutes(1).AddMilliseconds(-1), _ => Failing);
        var fired = machine.Judge(state, started.AddMinutes(1), _ => Failing);

        Assert.Null(first.Decision);
        Assert.Null(almost.Decision);
        var rollback = Assert.IsType<RolloutDecision>(fired.Decision);
        Assert.True(rollback.IsRollback);
        Assert.Equal((MigrationMode.Legacy, 0.0, RolloutStatus.RolledBack), (rollback.Mode, rollback.Weight, rollback.Rollout.Status));
        Assert.Equal(RolloutEventKind.TriggerFired, fired.Notice);
        Assert.StartsWith("trigger fired: candidate.errorRate > 0.05 for 1m (candidate.errorRate 0.2 > 0.05", rollback.Reason);
        Assert.Equal("met", rollback.Evidence!["trigger"]!["verdict"]!.GetValue<string>());
    }

    [Fact]
    public void Trigger_ConditionLapses_StartsCountingAgain()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new PauseStep(null)));
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));

        machine.Judge(state, T0.AddSeconds(1), _ => Failing);
        machine.Judge(state, T0.AddSeconds(50), _ => Healthy);
        var afterLapse = machine.Judge(state, T0.AddSeconds(70), _ => Failing);
        var fired = machine.Judge(state, T0.AddSeconds(130), _ => Failing);

        Assert.Null(afterLapse.Decision);
        Assert.True(fired.Decision!.IsRollback);
    }

    [Fact]
    public void Trigger_StaysArmedWhileAPersonHasPaused()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new WeightStep((Weight)25)));
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        state = Apply(state, machine.Pause(state, T0.AddSeconds(1), "paused by alice"));

        machine.Judge(state, T0.AddSeconds(2), _ => Failing);
        var fired = machine.Judge(state, T0.AddSeconds(62), _ => Failing);

        Assert.True(fired.Decision!.IsRollback);
    }

    [Fact]
    public void Trigger_TooFewSamples_NeverFires()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new PauseStep(null)));
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        var thinAndFailing = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(10, 10, 10_000));

        machine.Judge(state, T0.AddSeconds(1), _ => thinAndFailing);
        var later = machine.Judge(state, T0.AddMinutes(10), _ => thinAndFailing);

        Assert.Equal(RolloutJudgement.None, later);
    }

    [Fact]
    public void PauseUntilPromoted_EntersAsPausedAndAdvanceMovesOn()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new PauseStep(null), new WeightStep((Weight)100), new RetireStep()));
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        state = Apply(state, machine.Judge(state, T0.AddSeconds(1), _ => Healthy).Decision!);

        Assert.Equal((RolloutStatus.Paused, 1), (state.Rollout!.Status, state.Rollout.Step));
        Assert.Null(machine.Judge(state, T0.AddHours(5), _ => Healthy).Decision);

        state = Apply(state, machine.Advance(state, T0.AddHours(5), "promote", "looks good", null));
        var retire = machine.Judge(state, T0.AddHours(5).AddSeconds(1), _ => Healthy).Decision!;

        Assert.Equal((MigrationMode.Retired, RolloutStatus.Running, 3), (retire.Mode, retire.Rollout.Status, retire.Rollout.Step));
        Assert.Equal(RolloutEventKind.StepAdvanced, retire.Event);
    }

    [Fact]
    public void RetireStep_WaitsForTheDrainOutsideTheMachine_ThenCompletesAsLegacyRetired()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)100), new RetireStep()));
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        state = Apply(state, machine.Judge(state, T0.AddSeconds(1), _ => Healthy).Decision!);

        Assert.Equal((MigrationMode.Retired, RolloutStatus.Running), (state.Mode, state.Rollout!.Status));
        Assert.StartsWith("retire: legacy gets no new requests; waiting up to 30s (drainTimeout)", state.Rollout.Note);
        Assert.Equal(RolloutJudgement.None, machine.Judge(state, T0.AddHours(1), _ => Healthy));

        var done = machine.Advance(state, T0.AddHours(1), "step", "retire: legacy drained", null);
        Assert.Equal((MigrationMode.Retired, RolloutStatus.Completed, "completed: legacy retired"), (done.Mode, done.Rollout.Status, done.Rollout.Note));
        Assert.Equal(RolloutEventKind.Completed, done.Event);
    }

    [Fact]
    public void ShadowStep_WaitsForDurationAndComparedPairs_JudgingOnlyShadowGates()
    {
        var plan = new RolloutPlan(
            [new ShadowStep(TimeSpan.FromMinutes(10), 1000), new WeightStep((Weight)5)],
            [Condition.Parse("candidate.errorRate <= 0.01"), Condition.Parse("divergenceRate <= 0.01")],
            [],
            100,
            TimeSpan.FromMinutes(30),
            TimeSpan.FromSeconds(30));
        var machine = new RolloutMachine(plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        var few = TestWindows.Window(TestWindows.Side(2000, 0, 10_000), TestWindows.None, compared: 999, divergent: 0);
        var enough = TestWindows.Window(TestWindows.Side(2000, 0, 10_000), TestWindows.None, compared: 1000, divergent: 3);

        Assert.Equal(MigrationMode.Shadow, state.Mode);
        Assert.Null(machine.Judge(state, T0.AddMinutes(9), _ => enough).Decision);
        Assert.Null(machine.Judge(state, T0.AddMinutes(10), _ => few).Decision);
        var next = machine.Judge(state, T0.AddMinutes(10), _ => enough).Decision!;

        Assert.Equal((MigrationMode.Canary, 5.0), (next.Mode, next.Weight));
        Assert.Single(next.Evidence!["gates"]!.AsArray());
    }
}
