using Cutover.Backfill.Checkpoints;

namespace Cutover.Backfill.Tests.Checkpoints;

public sealed class RowChecksumTests
{
    [Fact]
    public void Add_SameRowsInAnyOrder_GiveTheSameChecksum()
    {
        object?[][] rows = [[1L, "a"], [2L, "b"], [3L, null]];
        var forward = new RowChecksum();
        var backward = new RowChecksum();

        foreach (var row in rows)
        {
            forward.Add(row);
        }

        foreach (var row in rows.Reverse())
        {
            backward.Add(row);
        }

        Assert.Equal(forward.Value, backward.Value);
        Assert.NotEqual(new RowChecksum().Value, forward.Value);
        Assert.Equal(forward.Value, RowChecksum.Parse(forward.Value).Value);
    }

    [Fact]
    public void Canonical_SameValueAsEachEngineReadsIt_EncodesAlike()
    {
        var guid = Guid.NewGuid();
        var time = new DateTime(2026, 3, 1, 12, 30, 0, DateTimeKind.Utc);

        Assert.Equal(RowChecksum.Canonical([1L, true, guid, time]), RowChecksum.Canonical([1, 1L, guid.ToString(), new DateTimeOffset(time)]));
        Assert.Equal(RowChecksum.Canonical([12.5m]), RowChecksum.Canonical([12.5d]));
        Assert.NotEqual(RowChecksum.Canonical(["a", "bc"]), RowChecksum.Canonical(["ab", "c"]));
        Assert.NotEqual(RowChecksum.Canonical([null]), RowChecksum.Canonical([string.Empty]));
    }
}
