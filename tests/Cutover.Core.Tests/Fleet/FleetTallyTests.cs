using Cutover.Core.Fleet;
using Cutover.Core.State;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Fleet;

/// <summary>Which phase a migration is in, and the counts of a set of them.</summary>
public sealed class FleetTallyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<MigrationMode, RolloutStatus?, FleetPhase> Phases => new()
    {
        { MigrationMode.Legacy, null, FleetPhase.NotStarted },
        { MigrationMode.Legacy, RolloutStatus.Ready, FleetPhase.NotStarted },
        { MigrationMode.Legacy, RolloutStatus.Aborted, FleetPhase.NotStarted },
        { MigrationMode.Shadow, null, FleetPhase.InProgress },
        { MigrationMode.Canary, RolloutStatus.Aborted, FleetPhase.InProgress },
        { MigrationMode.Legacy, RolloutStatus.Paused, FleetPhase.InProgress },
        { MigrationMode.Candidate, RolloutStatus.Running, FleetPhase.InProgress },
        { MigrationMode.Candidate, null, FleetPhase.Migrated },
        { MigrationMode.Retired, RolloutStatus.Completed, FleetPhase.Migrated },
        { MigrationMode.Canary, RolloutStatus.Completed, FleetPhase.Migrated },
        { MigrationMode.Candidate, RolloutStatus.RolledBack, FleetPhase.Migrated },
        { MigrationMode.Legacy, RolloutStatus.RolledBack, FleetPhase.RolledBack },
        { MigrationMode.Canary, RolloutStatus.RolledBack, FleetPhase.RolledBack },
    };

    [Theory]
    [MemberData(nameof(Phases))]
    public void FleetPhases_ModeAndPlan_FollowThePlanUnderWayThenTheTrafficThenThePlansEnd(MigrationMode mode, RolloutStatus? plan, FleetPhase expected) =>
        Assert.Equal(expected, FleetPhases.Of(State(mode, plan)));

    [Fact]
    public void FleetTally_MixedMembers_CountsEachPhaseSumsRollbacksAndAveragesLatencyOverMigratedOnesOnly()
    {
        var members = new[]
        {
            Member(MigrationMode.Retired, RolloutStatus.Completed, rollbacks: 1, Change(10, 8, 100, 150)),
            Member(MigrationMode.Candidate, null, rollbacks: 0, Change(10, 12, 100, 50)),
            Member(MigrationMode.Candidate, null, rollbacks: 0, change: null),
            Member(MigrationMode.Legacy, RolloutStatus.RolledBack, rollbacks: 2, Change(10, 30, 100, 300)),
            Member(MigrationMode.Canary, RolloutStatus.Running, rollbacks: 0, Change(10, 10, 100, 100)),
            Member(MigrationMode.Legacy, null, rollbacks: 0, change: null),
        };

        var tally = FleetTally.Of(members);

        Assert.Equal(new FleetTally(6, 3, 1, 1, 1, 3, 2, 0, 0, 25), tally with { P50ChangePercent = 0, P99ChangePercent = 0 });
        Assert.Equal(0, tally.P50ChangePercent!.Value, precision: 9);
        Assert.Equal(0, tally.P99ChangePercent!.Value, precision: 9);
    }

    [Fact]
    public void FleetTally_NoMeasuredMigration_HasNullMeans()
    {
        var tally = FleetTally.Of([Member(MigrationMode.Candidate, null, rollbacks: 0, change: null)]);

        Assert.Equal((1, 0, (double?)null, (double?)null), (tally.Migrated, tally.LatencyMeasured, tally.P50ChangePercent, tally.P99ChangePercent));
    }

    [Fact]
    public void SuccessScore_PrioritiesAndRollbacks_WeighMigratedByPriorityLessHalfAWeightPerRollback()
    {
        FleetMember Of(Priority priority, MigrationMode mode, RolloutStatus? plan, int rollbacks) =>
            Member(mode, plan, rollbacks, change: null) with { Priority = priority };

        // 4 + 3 + 2 + 1 = 10 in all; the critical one migrated (4), the high one rolled back once (-1.5).
        var members = new[]
        {
            Of(Priority.Critical, MigrationMode.Retired, RolloutStatus.Completed, 0),
            Of(Priority.High, MigrationMode.Legacy, RolloutStatus.RolledBack, 1),
            Of(Priority.Normal, MigrationMode.Shadow, RolloutStatus.Running, 0),
            Of(Priority.Low, MigrationMode.Legacy, null, 0),
        };

        Assert.Equal(25, SuccessScore.Of(members));
        Assert.Equal(100, SuccessScore.Of([members[0]]));
        Assert.Equal(0, SuccessScore.Of([members[1]]));
        // Migrated after a rollback: 1 - 0.5 + 2 of 3, rounded to one decimal.
        Assert.Equal(83.3, SuccessScore.Of([Of(Priority.Low, MigrationMode.Retired, RolloutStatus.Completed, 1), Of(Priority.Normal, MigrationMode.Candidate, null, 0)]));
        Assert.Null(SuccessScore.Of([]));
    }

    [Theory]
    [InlineData("mode=canary weight=25 plan=paused step=3", RolloutStatus.Paused, 3)]
    [InlineData("mode=retired weight=100 plan=completed step=5", RolloutStatus.Completed, 5)]
    public void TryReadPlan_AuditRowsStateText_ReadsThePlanBack(string text, RolloutStatus status, int step)
    {
        Assert.True(StateText.TryReadPlan(text, out var readStatus, out var readStep));
        Assert.Equal((status, step), (readStatus, readStep));
    }

    [Theory]
    [InlineData("mode=canary weight=25")]
    [InlineData("")]
    [InlineData("mode=canary weight=25 plan=sideways step=3")]
    [InlineData("mode=canary weight=25 plan=running step=0")]
    public void TryReadPlan_StateTextWithoutAPlan_ReadsAsNone(string text) =>
        Assert.False(StateText.TryReadPlan(text, out _, out _));

    private static MigrationState State(MigrationMode mode, RolloutStatus? plan) =>
        new("orders", mode, Weight.Zero, 1, T0, plan is { } status ? new RolloutState(status, 0, T0, T0, TimeSpan.Zero, string.Empty) : null);

    private static FleetMember Member(MigrationMode mode, RolloutStatus? plan, int rollbacks, LatencyChange? change) =>
        new("orders", null, Priority.Normal, State(mode, plan), new MigrationHistory(rollbacks, [], change));

    private static LatencyChange Change(double legacyP50, double candidateP50, double legacyP99, double candidateP99) =>
        new(T0, 200, 200, legacyP50, candidateP50, legacyP99, candidateP99);
}
