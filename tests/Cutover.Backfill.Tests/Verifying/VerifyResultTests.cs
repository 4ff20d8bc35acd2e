using System.Text;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Verifying;
using Cutover.Store;

namespace Cutover.Backfill.Tests.Verifying;

public sealed class VerifyResultTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_ManyDifferingRows_KeepsTheFirstKeysThatFitIn4KiB_AndEveryCount()
    {
        var rows = Enumerable.Range(1, 100).Select(i => new RowDifference(RowDifferenceKind.Different, $"({i}, 'customer-number-{i:00000000}')", ["full_name", "email"])).ToList();
        var report = Report(rows, missing: 0, different: 100);

        var result = VerifyResult.Of(report, At);
        var stored = result.Encode();

        Assert.InRange(Encoding.UTF8.GetByteCount(stored), 3000, VerifyResult.MaxBytes);
        Assert.InRange(result.FirstDifferences.Count, 10, 99);
        Assert.Equal(rows.Take(result.FirstDifferences.Count), result.FirstDifferences);
        Assert.Equal((100L, false), (result.Different, result.Identical));
        Assert.Equal(result with { FirstDifferences = [] }, VerifyResult.Parse(stored)! with { FirstDifferences = [] });
        Assert.Equal(result.FirstDifferences.Select(d => (d.Kind, d.Key, string.Join(",", d.Columns))), VerifyResult.Parse(stored)!.FirstDifferences.Select(d => (d.Kind, d.Key, string.Join(",", d.Columns))));
    }

    [Fact]
    public void Of_CleanTarget_ListsNothing_AndParseOfNothingIsNever()
    {
        var result = VerifyResult.Of(Report([], missing: 0, different: 0), At);

        Assert.Equal((true, 0), (result.Identical, result.FirstDifferences.Count));
        Assert.Contains("\"identical\":true", result.Encode(), StringComparison.Ordinal);
        Assert.Null(VerifyResult.Parse(null));
    }

    private static VerifyReport Report(IReadOnlyList<RowDifference> rows, long missing, long different) => new(
        "customers",
        BackfillStatus.Completed,
        10_000,
        1,
        rows.Count == 0 ? 0 : 1,
        1_000,
        1_000 - missing,
        missing,
        0,
        different,
        false,
        0,
        DeletePolicy.Report,
        0,
        missing + different,
        rows.Count == 0 ? [] : [new ChunkReport(null, "(100)", 1_000, 1_000 - missing, "a", "b", missing, 0, different, rows, 0, 0, missing + different)]);
}
