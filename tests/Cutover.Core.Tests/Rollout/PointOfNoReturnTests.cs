using Cutover.Core.Analysis;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Core.Tests.Analysis;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Rollout;

/// <summary>A plan's point of no return: a trigger before it rolls back as always, a trigger after it halts the plan where it is.</summary>
public sealed class PointOfNoReturnTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly MetricsWindow Healthy = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 0, 10_000));
    private static readonly MetricsWindow Failing = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 40, 10_000));

    private static readonly RolloutPlan Plan = new(
        [new WeightStep((Weight)5), new PointOfNoReturnStep("the candidate now writes the new store"), new WeightStep((Weight)50), new PauseStep(null), new WeightStep((Weight)100)],
        [Condition.Parse("candidate.errorRate <= 0.01")],
        [Condition.Parse("candidate.errorRate > 0.05 for 1m")],
        100,
        TimeSpan.FromMinutes(30),
        TimeSpan.FromSeconds(30));

    private static MigrationState Legacy => new("orders", MigrationMode.Legacy, Weight.Zero, 1, T0);

    private static MigrationState Apply(MigrationState state, RolloutDecision decision) =>
        state with { Mode = decision.Mode, Weight = decision.Weight, Rollout = decision.Rollout, Version = state.Version + 1 };

    [Fact]
    public void PointOfNoReturnStep_IsEnteredAfterTheGatesAndLeftAtOnce()
    {
        var machine = new RolloutMachine(Plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));

        var entered = machine.Judge(state, T0.AddSeconds(1), _ => Healthy).Decision!;
        state = Apply(state, entered);
        var left = machine.Judge(state, T0.AddSeconds(2), _ => Healthy).Decision!;

        Assert.Equal((1, "point of no return: the candidate now writes the new store"), (entered.Rollout.Step, entered.Rollout.Note));
        Assert.Equal((MigrationMode.Canary, 5.0), (entered.Mode, entered.Weight));
        Assert.Equal((2, 50.0), (left.Rollout.Step, left.Weight));
        Assert.Equal("point of no return: the candidate now writes the new store: passed", left.Reason);
    }

    [Fact]
    public void Trigger_BeforeThePointOfNoReturn_RollsBackAsToday()
    {
        var machine = new RolloutMachine(Plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));

        machine.Judge(state, T0.AddSeconds(1), _ => Failing);
        var fired = machine.Judge(state, T0.AddSeconds(61), _ => Failing);

        Assert.False(Plan.HasPassedPointOfNoReturn(state.Rollout));
        Assert.True(fired.Decision!.IsRollback);
        Assert.Equal(RolloutEventKind.RolledBack, fired.Decision.Event);
    }

    [Fact]
    public void Trigger_PastThePointOfNoReturn_HaltsWhereItIsAndSaysWhy()
    {
        var machine = new RolloutMachine(Plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        state = Apply(state, machine.Judge(state, T0.AddSeconds(1), _ => Healthy).Decision!);
        state = Apply(state, machine.Judge(state, T0.AddSeconds(2), _ => Healthy).Decision!);

        machine.Judge(state, T0.AddSeconds(3), _ => Failing);
        var fired = machine.Judge(state, T0.AddSeconds(63), _ => Failing);

        var halt = Assert.IsType<RolloutDecision>(fired.Decision);
        Assert.False(halt.IsRollback);
        Assert.Equal(("halt", MigrationMode.Canary, 50.0, RolloutStatus.Paused, 2), (halt.Action, halt.Mode, halt.Weight, halt.Rollout.Status, halt.Rollout.Step));
        Assert.Equal(RolloutEventKind.Halted, halt.Event);
        Assert.Equal(RolloutEventKind.TriggerFired, fired.Notice);
        Assert.StartsWith("halted: trigger fired: candidate.errorRate > 0.05 for 1m (candidate.errorRate 0.2 > 0.05", halt.Rollout.Note);
        Assert.EndsWith(
            "legacy no longer holds current data since step 2 (point of no return: the candidate now writes the new store), so users stay where they are until a person decides",
            halt.Rollout.Note);
        Assert.Equal(2, halt.Evidence!["pointOfNoReturn"]!["step"]!.GetValue<int>());
        Assert.Equal("met", halt.Evidence["trigger"]!["verdict"]!.GetValue<string>());
    }

    [Fact]
    public void Trigger_PastThePointOfNoReturnWhilePaused_DoesNotHaltAgain()
    {
        var machine = new RolloutMachine(Plan);
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        state = Apply(state, machine.Judge(state, T0.AddSeconds(1), _ => Healthy).Decision!);
        state = Apply(state, machine.Judge(state, T0.AddSeconds(2), _ => Healthy).Decision!);
        machine.Judge(state, T0.AddSeconds(3), _ => Failing);
        state = Apply(state, machine.Judge(state, T0.AddSeconds(63), _ => Failing).Decision!);

        machine.Judge(state, T0.AddSeconds(64), _ => Failing);
        var later = machine.Judge(state, T0.AddMinutes(10), _ => Failing);

        Assert.Equal(RolloutJudgement.None, later);
        Assert.Equal(RolloutStatus.Paused, state.Rollout!.Status);
    }

    [Fact]
    public void HasPassedPointOfNoReturn_FromEnteringItUntilARetryStartsOver()
    {
        RolloutState At(RolloutStatus status, int step) => new(status, step, T0, T0, TimeSpan.Zero, string.Empty);

        Assert.False(Plan.HasPassedPointOfNoReturn(null));
        Assert.False(Plan.HasPassedPointOfNoReturn(At(RolloutStatus.Running, 0)));
        Assert.True(Plan.HasPassedPointOfNoReturn(At(RolloutStatus.Running, 1)));
        Assert.True(Plan.HasPassedPointOfNoReturn(At(RolloutStatus.Completed, 5)));
        Assert.False(Plan.HasPassedPointOfNoReturn(At(RolloutStatus.Ready, 0)));
        Assert.False((Plan with { Steps = [new WeightStep((Weight)5)] }).HasPassedPointOfNoReturn(At(RolloutStatus.Running, 0)));
    }
}
