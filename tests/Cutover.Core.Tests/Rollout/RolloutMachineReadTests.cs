using Cutover.Core.Analysis;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Core.Tests.Analysis;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Rollout;

/// <summary>What a plan's gates and triggers read for a person watching (the judge), with time and metrics given in.</summary>
public sealed class RolloutMachineReadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly MetricsWindow Healthy = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 0, 10_000));
    private static readonly MetricsWindow Failing = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 40, 10_000));

    private static readonly RolloutPlan Plan = new(
        [new WeightStep((Weight)5), new PauseStep(TimeSpan.FromMinutes(5)), new WeightStep((Weight)25)],
        [Condition.Parse("candidate.errorRate <= 0.01")],
        [Condition.Parse("candidate.errorRate > 0.05 for 1m")],
        100,
        TimeSpan.FromMinutes(30),
        TimeSpan.FromSeconds(30));

    private static MigrationState Legacy => new("orders", MigrationMode.Legacy, Weight.Zero, 1, T0);

    private static MigrationState Apply(MigrationState state, RolloutDecision decision) =>
        state with { Mode = decision.Mode, Weight = decision.Weight, Rollout = decision.Rollout, Version = state.Version + 1 };

    [Fact]
    public void Read_TriggerHolding_SaysSinceWhen_AndDecidesNothing()
    {
        var machine = new RolloutMachine(Plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        Assert.Null(machine.Judge(state, T0.AddSeconds(1), _ => Failing).Decision);

        var reading = machine.Read(state, T0.AddSeconds(20), _ => Failing);

        var trigger = Assert.Single(reading.Triggers);
        Assert.Equal((ConditionVerdict.Met, 0.2, 0.05), (trigger.Evaluation.Verdict, trigger.Evaluation.Left, trigger.Evaluation.Right));
        Assert.Equal((TimeSpan.FromMinutes(1), T0.AddSeconds(1)), (trigger.For, trigger.HoldingSince));
        Assert.Equal(ConditionVerdict.NotMet, Assert.Single(reading.Gates).Verdict);
        Assert.Equal(100, reading.MinSamples);
        var rollback = machine.Judge(state, T0.AddSeconds(61), _ => Failing).Decision;
        Assert.Equal(RolloutStatus.RolledBack, Assert.IsType<RolloutDecision>(rollback).Rollout.Status);
    }

    [Fact]
    public void Read_HealthyCandidate_HasNoTriggerHoldingAndTheRankTest()
    {
        var machine = new RolloutMachine(Plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));

        var reading = machine.Read(state, T0.AddSeconds(5), _ => Healthy);

        Assert.Null(Assert.Single(reading.Triggers).HoldingSince);
        Assert.Equal(ConditionVerdict.Met, Assert.Single(reading.Gates).Verdict);
        Assert.NotNull(reading.Latency);
        Assert.Null(reading.StepBake);
    }

    [Fact]
    public void Read_TooFewCandidateRequests_LeavesTheRankTestInconclusive()
    {
        var machine = new RolloutMachine(Plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        var thin = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(99, 0, 10_000));

        var reading = machine.Read(state, T0.AddSeconds(5), _ => thin);

        Assert.Null(reading.Latency);
    }

    [Fact]
    public void Read_TimedPause_GivesTheStepsBake()
    {
        var machine = new RolloutMachine(Plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        state = Apply(state, machine.Judge(state, T0.AddSeconds(1), _ => Healthy).Decision!);

        var reading = machine.Read(state, T0.AddSeconds(2), _ => Healthy);

        Assert.Equal(TimeSpan.FromMinutes(5), reading.StepBake);
    }

    [Fact]
    public void HoldsToSave_GivesTheHoldsOnlyWhenATriggerStartsOrStopsHolding()
    {
        var machine = new RolloutMachine(Plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        machine.Judge(state, T0.AddSeconds(1), _ => Healthy);
        machine.HoldsToSave();

        machine.Judge(state, T0.AddSeconds(2), _ => Failing);
        var started = machine.HoldsToSave();
        machine.Judge(state, T0.AddSeconds(3), _ => Failing);
        var unchanged = machine.HoldsToSave();
        machine.Judge(state, T0.AddSeconds(4), _ => Healthy);
        var stopped = machine.HoldsToSave();

        Assert.Equal(T0.AddSeconds(2), Assert.Single(started!).Value);
        Assert.Null(unchanged);
        Assert.Empty(stopped!);
    }

    [Fact]
    public void Read_HoldsSavedByAnotherReplica_AreShownInsteadOfItsOwn()
    {
        var machine = new RolloutMachine(Plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        var saved = new Dictionary<string, DateTimeOffset> { ["candidate.errorRate > 0.05 for 1m"] = T0.AddSeconds(7) };

        var reading = machine.Read(state, T0.AddSeconds(20), _ => Failing, saved);

        Assert.Equal(T0.AddSeconds(7), Assert.Single(reading.Triggers).HoldingSince);
    }

    [Fact]
    public void Read_PlanNotStarted_JudgesTheLastFiveMinutesWithNoTriggerHolding()
    {
        var machine = new RolloutMachine(Plan);

        var reading = machine.Read(Legacy, T0, _ => Failing);

        Assert.Null(Assert.Single(reading.Triggers).HoldingSince);
        Assert.Null(reading.StepBake);
    }
}
