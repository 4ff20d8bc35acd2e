using Cutover.Backfill.Copying;
using Cutover.Backfill.Throttling;
using Cutover.Cli.Output;
using Cutover.Store;

namespace Cutover.Cli.Tests.Output;

public sealed class BackfillRendererTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Line_PausedRun_ShowsRowsWithoutSpeedOrTimeLeft()
    {
        var paused = BackfillProgress.Of(Record(BackfillStatus.Paused, 400), 1000, Started.AddSeconds(60)) with { Throttle = ThrottleState.Paused, RecentRowsPerSecond = 50 };

        var line = BackfillRenderer.Line(paused);

        Assert.StartsWith("customers: 400 of 1,000 rows, last key", line, StringComparison.Ordinal);
        Assert.DoesNotContain("rows/s", line, StringComparison.Ordinal);
        Assert.DoesNotContain("left", line, StringComparison.Ordinal);
        Assert.Null(paused.TimeLeft);
    }

    [Fact]
    public void Line_RunningRun_ShowsSpeedAndTimeLeft()
    {
        var running = BackfillProgress.Of(Record(BackfillStatus.Running, 400), 1000, Started.AddSeconds(8)) with { RecentRowsPerSecond = 50 };

        Assert.StartsWith("customers: 400 of 1,000 rows, 50 rows/s, 12s left, last key", BackfillRenderer.Line(running), StringComparison.Ordinal);
    }

    [Fact]
    public void Finished_OneRow_SaysRowNotRows()
    {
        var done = BackfillProgress.Of(Record(BackfillStatus.Completed, 1), null, Started.AddSeconds(1));

        Assert.StartsWith("Backfill job 'customers' completed: 1 row copied (", BackfillRenderer.Finished(done), StringComparison.Ordinal);
    }

    private static BackfillRecord Record(BackfillStatus status, long rows) =>
        new("customers", "name: customers", status, null, rows, "0000000000000000", Started, Started, 0, Started.AddSeconds(8), null);
}
