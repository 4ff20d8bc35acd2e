using Cutover.Core.Analysis;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;
using FsCheck;
using FsCheck.Fluent;

namespace Cutover.Core.Tests.Rollout;

/// <summary>
/// A step's gates judge only its own traffic: the machine over a real <see cref="MetricsHistory"/>,
/// with requests before and after a step begins, rolls at the 10-second marks (late by up to a
/// fifth of a second, as a busy host's are) and a look at the plan after every event.
/// </summary>
public sealed class GateWindowTests
{
    private const int MinSamples = 20;

    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 22, 47, 0, TimeSpan.Zero);

    private static readonly RolloutPlan Plan = new(
        [new WeightStep((Weight)5), new WeightStep((Weight)25)],
        [Condition.Parse("candidate.errorRate <= 0.01")],
        [Condition.Parse("candidate.errorRate > 0.05 for 1m")],
        MinSamples,
        TimeSpan.FromMinutes(30),
        TimeSpan.FromSeconds(30));

    private enum Happening
    {
        Request,
        Roll,
        Look,
    }

    [Fact]
    public void Judge_AnyStepEntryAndTraffic_NeverLeavesAStepOnRequestsFromBeforeIt()
    {
        // One number gives both the moment the step began (10 to 30 s in) and how late the rolls are.
        Prop.ForAll<int, ushort[], ushort[]>((moments, before, after) =>
                LeavesOnlyOnItsOwnRequests(
                    TimeSpan.FromMilliseconds(10_000 + ((uint)moments % 20_000)),
                    before ?? [],
                    after ?? [],
                    TimeSpan.FromMilliseconds((uint)moments / 20_000 % 200)))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Judge_StepEnteredMidBucketAfterTheLastStepsRequests_WaitsForTheNextBucket()
    {
        // The case: the step began at 22:47:25.84, nine (here twenty) healthy requests of the
        // step before arrived in the same bucket; the step must not be left on them.
        var entry = T0.AddSeconds(25.84);
        var counters = new MigrationCounters();
        var history = new MetricsHistory(counters, T0);
        history.Roll(T0.AddSeconds(20));
        for (var i = 0; i < MinSamples; i++)
        {
            counters.Candidate.Record(1000, failed: false);
        }

        var (machine, state) = Entered(entry);

        var atOnce = machine.Judge(state, entry.AddSeconds(0.75), Since(history, entry.AddSeconds(0.75)));
        history.Roll(T0.AddSeconds(30));
        var nextBucketEmpty = machine.Judge(state, T0.AddSeconds(31), Since(history, T0.AddSeconds(31)));
        for (var i = 0; i < MinSamples; i++)
        {
            counters.Candidate.Record(1000, failed: false);
        }

        var left = machine.Judge(state, T0.AddSeconds(32), Since(history, T0.AddSeconds(32)));

        Assert.Equal(RolloutJudgement.None, atOnce);
        Assert.Equal(RolloutJudgement.None, nextBucketEmpty);
        var decision = Assert.IsType<RolloutDecision>(left.Decision);
        Assert.Equal(1, decision.Rollout.Step);
        Assert.Equal(T0.AddSeconds(30), decision.Evidence!["window"]!["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(T0.AddSeconds(32), decision.Evidence!["window"]!["to"]!.GetValue<DateTimeOffset>());
        Assert.Equal(MinSamples, decision.Evidence!["candidate"]!["requests"]!.GetValue<long>());
    }

    private static bool LeavesOnlyOnItsOwnRequests(TimeSpan entryOffset, ushort[] before, ushort[] after, TimeSpan rollDelay)
    {
        var entry = T0 + entryOffset;
        var end = entry + TimeSpan.FromSeconds(40);
        var happenings = new List<(DateTimeOffset At, Happening What, bool Own)>();

        // Enough healthy requests of the step before to pass the gate, all in the 10 s before it began.
        happenings.AddRange(Enumerable.Range(0, MinSamples).Select(i => (entry - TimeSpan.FromMilliseconds(1 + i), Happening.Request, false)));
        happenings.AddRange(before.Select(b => (entry - TimeSpan.FromMilliseconds(1 + (b % 10_000)), Happening.Request, false)));
        happenings.AddRange(after.Select(a => (entry + TimeSpan.FromMilliseconds(a % 30_000), Happening.Request, true)));
        for (var mark = T0 + MetricsHistory.BucketLength; mark <= end; mark += MetricsHistory.BucketLength)
        {
            happenings.Add((mark + rollDelay, Happening.Roll, false));
        }

        happenings.AddRange(after.Select(a => (entry + TimeSpan.FromMilliseconds(a % 30_000), Happening.Look, false)));
        for (var look = entry; look <= end; look += TimeSpan.FromMilliseconds(250))
        {
            happenings.Add((look, Happening.Look, false));
        }

        var counters = new MigrationCounters();
        var history = new MetricsHistory(counters, T0);
        var (machine, state) = Entered(entry);
        var own = 0;
        foreach (var (at, what, isOwn) in happenings.OrderBy(h => h.At).ThenBy(h => h.What))
        {
            switch (what)
            {
                case Happening.Request:
                    counters.Candidate.Record(1000, failed: false);
                    own += isOwn ? 1 : 0;
                    break;
                case Happening.Roll:
                    history.Roll(at);
                    break;
                case Happening.Look when at >= entry:
                    if (machine.Judge(state, at, Since(history, at)).Decision is { } decision)
                    {
                        var from = decision.Evidence!["window"]!["from"]!.GetValue<DateTimeOffset>();
                        var requests = decision.Evidence!["candidate"]!["requests"]!.GetValue<long>();
                        return decision.Rollout.Step == 1 && from >= entry && own >= MinSamples && requests <= own;
                    }

                    break;
            }
        }

        return true;
    }

    private static (RolloutMachine Machine, MigrationState State) Entered(DateTimeOffset entry)
    {
        var machine = new RolloutMachine(Plan);
        var legacy = new MigrationState("orders", MigrationMode.Legacy, Weight.Zero, 1, T0);
        var start = machine.Start(legacy, entry, "start", "go");
        return (machine, legacy with { Mode = start.Mode, Weight = start.Weight, Rollout = start.Rollout, Version = 2 });
    }

    private static Func<DateTimeOffset, MetricsWindow> Since(MetricsHistory history, DateTimeOffset now) =>
        from => MetricsWindow.Of(history.Recent(now - from, now), from, now);
}
