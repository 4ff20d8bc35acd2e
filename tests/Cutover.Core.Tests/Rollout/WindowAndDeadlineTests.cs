using Cutover.Core.Analysis;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Core.Tests.Analysis;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Rollout;

/// <summary>The machine with a plan window and a progress deadline, on a fixed clock: steps wait for the window, triggers do not, and a step that runs too long pauses.</summary>
public sealed class WindowAndDeadlineTests
{
    // Monday 2026-12-07, 16:59 in Paris (UTC+1): one minute before the window closes.
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 15, 59, 0, TimeSpan.Zero);

    private static readonly MetricsWindow Healthy = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 0, 10_000));
    private static readonly MetricsWindow Failing = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 40, 10_000));
    private static readonly MetricsWindow Mild = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 4, 10_000));

    private static readonly PlanWindow Office = new(
        new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday },
        TimeSpan.FromHours(9), TimeSpan.FromHours(17), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));

    private static RolloutPlan Plan(params PlanStep[] steps) => new(
        steps,
        [Condition.Parse("candidate.errorRate <= 0.01")],
        [Condition.Parse("candidate.errorRate > 0.05 for 1m")],
        100,
        TimeSpan.FromHours(10),
        TimeSpan.FromSeconds(30));

    private static MigrationState Legacy => new("orders", MigrationMode.Legacy, Weight.Zero, 1, T0);

    private static MigrationState Apply(MigrationState state, RolloutDecision decision) =>
        state with { Mode = decision.Mode, Weight = decision.Weight, Rollout = decision.Rollout, Version = state.Version + 1 };

    [Fact]
    public void StepDone_InsideTheWindow_Advances()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new WeightStep((Weight)25)) with { Window = Office });
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));

        var decision = machine.Judge(state, T0.AddSeconds(30), _ => Healthy).Decision!;

        Assert.Equal((1, 25.0), (decision.Rollout.Step, decision.Weight));
    }

    [Fact]
    public void StepDone_OutsideTheWindow_SaysOnceWhenItOpensThenAdvancesWhenItDoes()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new PauseStep(TimeSpan.FromMinutes(5)), new WeightStep((Weight)25)) with { Window = Office });
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        state = Apply(state, machine.Judge(state, T0.AddSeconds(1), _ => Healthy).Decision!);

        var wait = machine.Judge(state, T0.AddMinutes(6), _ => Healthy).Decision!;
        state = Apply(state, wait);
        var stillWaiting = machine.Judge(state, T0.AddHours(8), _ => Healthy);
        var opened = machine.Judge(state, new DateTimeOffset(2026, 12, 8, 8, 0, 0, TimeSpan.Zero), _ => Healthy).Decision!;

        Assert.Equal(("wait", RolloutStatus.Running, 1, 5.0), (wait.Action, wait.Rollout.Status, wait.Rollout.Step, wait.Weight));
        Assert.Null(wait.Event);
        Assert.Equal("pause 5m done; waiting for the window (mon,tue,wed,thu,fri 09:00-17:00 Europe/Paris), opens at 2026-12-08T09:00+01:00", wait.Rollout.Note);
        Assert.Equal(RolloutJudgement.None, stillWaiting);
        Assert.Equal((2, 25.0, "step"), (opened.Rollout.Step, opened.Weight, opened.Action));
    }

    [Fact]
    public void Trigger_OutsideTheWindow_StillRollsBack()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new WeightStep((Weight)25)) with { Window = Office });
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        var night = T0.AddHours(6);

        machine.Judge(state, night, _ => Failing);
        var fired = machine.Judge(state, night.AddMinutes(1), _ => Failing);

        Assert.True(fired.Decision!.IsRollback);
    }

    [Fact]
    public void ProgressDeadline_StepHeldByAGate_PausesWithWhatHeldIt()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new WeightStep((Weight)25)) with { ProgressDeadline = TimeSpan.FromMinutes(30) });
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));

        machine.Judge(state, T0.AddSeconds(1), _ => Mild);
        var before = machine.Judge(state, T0.AddMinutes(30).AddMilliseconds(-1), _ => Mild);
        var late = machine.Judge(state, T0.AddMinutes(30), _ => Mild);

        Assert.Null(before.Decision);
        var pause = Assert.IsType<RolloutDecision>(late.Decision);
        Assert.Equal(("pause", RolloutStatus.Paused, 0, RolloutEventKind.Paused), (pause.Action, pause.Rollout.Status, pause.Rollout.Step, pause.Event));
        Assert.Equal("progress deadline 30m passed at step 1 (weight 5); held by: candidate.errorRate <= 0.01: candidate.errorRate 0.02 is not <= 0.01", pause.Rollout.Note);
        Assert.Equal("30m", pause.Evidence!["progressDeadline"]!["deadline"]!.GetValue<string>());
        Assert.Equal("notMet", pause.Evidence["gates"]![0]!["verdict"]!.GetValue<string>());
    }

    [Fact]
    public void ProgressDeadline_StepWithItsOwn_PausesAtItsOwnNotThePlans()
    {
        var soak = new WeightStep((Weight)5) { ProgressDeadline = TimeSpan.FromHours(4) };
        var machine = new RolloutMachine(Plan(soak, new WeightStep((Weight)25)) with { ProgressDeadline = TimeSpan.FromMinutes(30) });
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));

        machine.Judge(state, T0.AddSeconds(1), _ => Mild);
        var pastThePlans = machine.Judge(state, T0.AddHours(1), _ => Mild);
        var late = machine.Judge(state, T0.AddHours(4), _ => Mild);

        Assert.Null(pastThePlans.Decision);
        var pause = Assert.IsType<RolloutDecision>(late.Decision);
        Assert.StartsWith("progress deadline 4h passed at step 1 (weight 5); held by: candidate.errorRate <= 0.01", pause.Rollout.Note);
        Assert.Equal("4h", pause.Evidence!["progressDeadline"]!["deadline"]!.GetValue<string>());
    }

    [Fact]
    public void ProgressDeadline_AfterAResume_GivesTheStepAnotherDeadline()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new WeightStep((Weight)25)) with { ProgressDeadline = TimeSpan.FromMinutes(30) });
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        state = Apply(state, machine.Judge(state, T0.AddMinutes(30), _ => Mild).Decision!);
        machine.Judge(state, T0.AddMinutes(35), _ => Mild);
        var resumedAt = T0.AddMinutes(40);
        state = Apply(state, machine.Resume(state, resumedAt, "looked at it"));

        var soon = machine.Judge(state, resumedAt.AddSeconds(1), _ => Mild);
        var again = machine.Judge(state, resumedAt.AddMinutes(30), _ => Mild);

        Assert.NotEqual(RolloutStatus.Paused, soon.Decision?.Rollout.Status);
        Assert.Equal(RolloutStatus.Paused, again.Decision!.Rollout.Status);
    }

    [Fact]
    public void ProgressDeadline_ShadowStepShortOfComparedPairs_NamesThePairs()
    {
        var machine = new RolloutMachine(Plan(new ShadowStep(TimeSpan.FromMinutes(5), 1000), new WeightStep((Weight)5)) with { ProgressDeadline = TimeSpan.FromMinutes(30) });
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        var few = TestWindows.Window(TestWindows.Side(2000, 0, 10_000), TestWindows.None, compared: 120, divergent: 0);

        machine.Judge(state, T0.AddMinutes(6), _ => few);
        var late = machine.Judge(state, T0.AddMinutes(30), _ => few).Decision!;

        Assert.EndsWith("held by: 120 of 1000 compared pairs", late.Rollout.Note);
    }

    [Fact]
    public void ProgressDeadline_StepDoneButWaitingForTheWindow_DoesNotPause()
    {
        var machine = new RolloutMachine(Plan(new WeightStep((Weight)5), new WeightStep((Weight)25)) with { Window = Office, ProgressDeadline = TimeSpan.FromMinutes(30) });
        var state = Apply(Legacy, machine.Start(Legacy, T0, "start", "go"));
        state = Apply(state, machine.Judge(state, T0.AddMinutes(2), _ => Healthy).Decision!);

        var later = machine.Judge(state, T0.AddHours(3), _ => Healthy);

        Assert.Equal(RolloutJudgement.None, later);
        Assert.StartsWith("weight 5 done; waiting for the window", state.Rollout!.Note);
    }
}
