using Cutover.Cli.Output;

namespace Cutover.Cli.Tests.Output;

public sealed class LineDiffTests
{
    [Fact]
    public void SameText_IsAllContext()
    {
        var rows = LineDiff.Align(["{", "  \"id\": 1", "}"], ["{", "  \"id\": 1", "}"]);

        Assert.All(rows, row => Assert.True(row.Same));
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public void ChangedLine_SitsBesideItsReplacement()
    {
        var rows = LineDiff.Align(["{", "  \"id\": 1,", "  \"price\": 1", "}"], ["{", "  \"id\": 1,", "  \"price\": 2", "}"]);

        Assert.Equal(
            [new DiffRow("{", "{"), new DiffRow("  \"id\": 1,", "  \"id\": 1,"), new DiffRow("  \"price\": 1", "  \"price\": 2"), new DiffRow("}", "}")],
            rows);
        Assert.False(rows[2].Same);
    }

    [Fact]
    public void AddedAndRemovedLines_HaveAnEmptySide_AndLaterLinesStayAligned()
    {
        var rows = LineDiff.Align(["a", "b", "c", "d"], ["a", "c", "x", "d"]);

        Assert.Equal([new DiffRow("a", "a"), new DiffRow("b", null), new DiffRow("c", "c"), new DiffRow(null, "x"), new DiffRow("d", "d")], rows);
    }

    [Fact]
    public void OneSideEmpty_ListsTheOtherAlone()
    {
        Assert.Equal([new DiffRow("a", null), new DiffRow("b", null)], LineDiff.Align(["a", "b"], []));
        Assert.Equal([new DiffRow(null, "a")], LineDiff.Align([], ["a"]));
    }

    [Fact]
    public void TooBigToAlign_IsPairedByPosition_WithTheCommonHeadAndTailKept()
    {
        var legacy = new[] { "head" }.Concat(Enumerable.Range(0, 3000).Select(i => $"l{i}")).Append("tail").ToList();
        var candidate = new[] { "head" }.Concat(Enumerable.Range(0, 2000).Select(i => $"c{i}")).Append("tail").ToList();

        var rows = LineDiff.Align(legacy, candidate);

        Assert.Equal(3002, rows.Count);
        Assert.True(rows[0].Same);
        Assert.Equal(new DiffRow("l0", "c0"), rows[1]);
        Assert.Equal(new DiffRow("l2999", null), rows[3000]);
        Assert.Equal(new DiffRow("tail", "tail"), rows[^1]);
    }
}
