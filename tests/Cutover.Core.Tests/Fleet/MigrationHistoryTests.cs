using System.Text.Json.Nodes;
using Cutover.Core.Analysis;
using Cutover.Core.Fleet;
using Cutover.Core.Rollout;
using Cutover.Core.Tests.Analysis;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Fleet;

/// <summary>A migration's rollbacks, step times and latency change, read from audit rows written by real plan decisions.</summary>
public sealed class MigrationHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly RolloutPlan Plan = new(
        [new WeightStep((Weight)5), new WeightStep((Weight)50), new WeightStep((Weight)100), new RetireStep()],
        [Condition.Parse("candidate.errorRate <= 0.01")],
        [],
        100,
        TimeSpan.FromMinutes(30),
        TimeSpan.FromSeconds(30));

    // Both sides with 200 requests: legacy at 10 ms, the candidate at 8 ms (and 12 ms in the older window).
    private static readonly MetricsWindow Faster = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 0, 8_000));
    private static readonly MetricsWindow Slower = TestWindows.Window(TestWindows.Side(200, 0, 10_000), TestWindows.Side(200, 0, 12_000));

    // At 100% legacy serves nothing: no baseline to compare with.
    private static readonly MetricsWindow CandidateOnly = TestWindows.Window(TestWindows.None, TestWindows.Side(200, 0, 8_000));

    [Fact]
    public void Of_CompletedRun_HasEveryStepWithItsTimeAndTheRetireStepTheTimeLegacyTookToDrain()
    {
        var log = Walk(new AuditLog(), T0);

        var history = MigrationHistory.Of(log.Rows, Plan, T0.AddHours(1));

        Assert.Equal(
            [
                new StepTime(1, "weight 5", T0, T0.AddMinutes(1), TimeSpan.FromMinutes(1)),
                new StepTime(2, "weight 50", T0.AddMinutes(1), T0.AddMinutes(4), TimeSpan.FromMinutes(3)),
                new StepTime(3, "weight 100", T0.AddMinutes(4), T0.AddMinutes(5), TimeSpan.FromMinutes(1)),
                new StepTime(4, "retire", T0.AddMinutes(5), T0.AddMinutes(5).AddSeconds(2), TimeSpan.FromSeconds(2)),
            ],
            history.Steps);
        Assert.Equal(0, history.Rollbacks);
    }

    [Fact]
    public void Of_CompletedRun_TakesTheLatencyChangeFromTheLastMoveWithEnoughSamplesOnBothSides()
    {
        var history = MigrationHistory.Of(Walk(new AuditLog(), T0).Rows, Plan, T0.AddHours(1));

        // The moves at 100% and into retire had no legacy traffic; the one before them had both sides at 200.
        var change = Assert.IsType<LatencyChange>(history.LatencyChange);
        Assert.Equal((T0.AddMinutes(4), 200L, 200L), (change.At, change.LegacyRequests, change.CandidateRequests));
        Assert.InRange(change.P50Percent, -21, -19);
        Assert.InRange(change.P99Percent, -21, -19);
        Assert.Equal(Faster.Legacy.LatencyMs(0.5), change.LegacyP50Ms);
        Assert.Equal(Faster.Candidate.LatencyMs(0.99), change.CandidateP99Ms);
    }

    [Fact]
    public void Of_MoveWithTooFewSamplesOrWithoutAnalysis_GivesNoLatencyChange()
    {
        var machine = new RolloutMachine(Plan);
        var log = new AuditLog();
        log.Record(machine.Start(log.State, T0, "start", "go"), T0);
        log.Record(machine.Advance(log.State, T0.AddMinutes(1), "step", "done", Evidence.Of(TestWindows.Window(TestWindows.Side(50, 0, 10_000), TestWindows.Side(99, 0, 8_000)), 100)), T0.AddMinutes(1));
        log.Record(machine.Advance(log.State, T0.AddMinutes(2), "promote --force", "skipped", evidence: null), T0.AddMinutes(2));

        Assert.Null(MigrationHistory.Of(log.Rows, Plan, T0.AddHours(1)).LatencyChange);
    }

    [Fact]
    public void Of_RollbackThenRetry_EndsTheStepItHappenedInAndStartsANewRunWhoseStepIsTimedUntilNow()
    {
        var machine = new RolloutMachine(Plan);
        var log = new AuditLog();
        log.Record(machine.Start(log.State, T0, "start", "go"), T0);
        log.Record(machine.Advance(log.State, T0.AddMinutes(1), "step", "done", Evidence.Of(Slower, 100)), T0.AddMinutes(1));
        log.Record(machine.Pause(log.State, T0.AddMinutes(2), "lunch"), T0.AddMinutes(2));
        log.Record(machine.Rollback(log.State, T0.AddMinutes(3), "rollback", "p99 doubled", evidence: null), T0.AddMinutes(3));

        var rolledBack = MigrationHistory.Of(log.Rows, Plan, T0.AddHours(1));

        Assert.Equal(1, rolledBack.Rollbacks);
        Assert.Equal(
            [
                new StepTime(1, "weight 5", T0, T0.AddMinutes(1), TimeSpan.FromMinutes(1)),
                new StepTime(2, "weight 50", T0.AddMinutes(1), T0.AddMinutes(3), TimeSpan.FromMinutes(2)),
            ],
            rolledBack.Steps);
        Assert.InRange(Assert.IsType<LatencyChange>(rolledBack.LatencyChange).P50Percent, 19, 21);

        log.Record(machine.Start(log.State, T0.AddMinutes(10), "retry", "fixed"), T0.AddMinutes(10));

        var retried = MigrationHistory.Of(log.Rows, Plan, T0.AddMinutes(25));
        Assert.Equal(1, retried.Rollbacks);
        Assert.Equal([new StepTime(1, "weight 5", T0.AddMinutes(10), null, TimeSpan.FromMinutes(15))], retried.Steps);
        Assert.Null(retried.LatencyChange);
    }

    [Fact]
    public void Of_MigrationMovedByHand_HasNoStepsAndCountsItsRollbacks()
    {
        var log = new AuditLog()
            .Record("seed", MigrationMode.Legacy, 0, T0)
            .Record("weight", MigrationMode.Canary, 10, T0.AddMinutes(1))
            .Record("rollback", MigrationMode.Legacy, 0, T0.AddMinutes(2))
            .Record("weight", MigrationMode.Canary, 10, T0.AddMinutes(3))
            .Record("rollback", MigrationMode.Legacy, 0, T0.AddMinutes(4));

        var history = MigrationHistory.Of(log.Rows, plan: null, T0.AddHours(1));

        Assert.Equal((2, 0), (history.Rollbacks, history.Steps.Count));
        Assert.Null(history.LatencyChange);
    }

    /// <summary>Start at <paramref name="start"/>, then a step after 1, 4 and 5 minutes (the last one into retire, which completes the plan).</summary>
    private static AuditLog Walk(AuditLog log, DateTimeOffset start)
    {
        var machine = new RolloutMachine(Plan);
        log.Record("seed", MigrationMode.Legacy, 0, start.AddDays(-1));
        log.Record(machine.Start(log.State, start, "start", "go"), start);
        log.Record(machine.Advance(log.State, start.AddMinutes(1), "step", "done", Evidence.Of(Slower, 100)), start.AddMinutes(1));
        log.Record(machine.Advance(log.State, start.AddMinutes(4), "step", "done", Evidence.Of(Faster, 100)), start.AddMinutes(4));
        log.Record(machine.Advance(log.State, start.AddMinutes(5), "step", "done", Evidence.Of(CandidateOnly, 100)), start.AddMinutes(5));
        return log.Record(machine.Advance(log.State, start.AddMinutes(5).AddSeconds(2), "step", "retire: legacy drained", new JsonObject { ["drain"] = new JsonObject { ["seconds"] = 2 } }), start.AddMinutes(5).AddSeconds(2));
    }
}
