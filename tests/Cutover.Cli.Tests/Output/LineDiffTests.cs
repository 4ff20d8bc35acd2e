using Cutover.Cli.Output;

namespace Cutover.Cli.Tests.Output;

public sealed class LineDiffTests
{
    [Fact]
    public void SameText_IsAllContext()
    {
        var rows = LineDiff.Align(["{", "  \"id\": 1", "}"], ["{", "  \"id\": 1", "}"]);

        Assert.All(rows, row => Assert.Equal(LineMark.Same, row.Mark));
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public void ChangedLine_SitsBesideItsReplacement()
    {
        var rows = LineDiff.Align(["{", "  \"id\": 1,", "  \"price\": 1", "}"], ["{", "  \"id\": 1,", "  \"price\": 2", "}"]);

        Assert.Equal(
            [new DiffRow("{", "{", LineMark.Same), new DiffRow("  \"id\": 1,", "  \"id\": 1,", LineMark.Same), new DiffRow("  \"price\": 1", "  \"price\": 2", LineMark.Differs), new DiffRow("}", "}", LineMark.Same)],
            rows);
    }

    [Fact]
    public void AddedAndRemovedLines_HaveAnEmptySide_AndLaterLinesStayAligned()
    {
        var rows = LineDiff.Align(["a", "b", "c", "d"], ["a", "c", "x", "d"]);

        Assert.Equal([new DiffRow("a", "a", LineMark.Same), new DiffRow("b", null, LineMark.Differs), new DiffRow("c", "c", LineMark.Same), new DiffRow(null, "x", LineMark.Differs), new DiffRow("d", "d", LineMark.Same)], rows);
    }

    [Fact]
    public void OneSideEmpty_ListsTheOtherAlone()
    {
        Assert.Equal([new DiffRow("a", null, LineMark.Differs), new DiffRow("b", null, LineMark.Differs)], LineDiff.Align(["a", "b"], []));
        Assert.Equal([new DiffRow(null, "a", LineMark.Differs)], LineDiff.Align([], ["a"]));
    }

    [Fact]
    public void TooBigToAlign_IsPairedByPosition_WithTheCommonHeadAndTailKept()
    {
        var legacy = new[] { "head" }.Concat(Enumerable.Range(0, 3000).Select(i => $"l{i}")).Append("tail").ToList();
        var candidate = new[] { "head" }.Concat(Enumerable.Range(0, 2000).Select(i => $"c{i}")).Append("tail").ToList();

        var rows = LineDiff.Align(legacy, candidate);

        Assert.Equal(3002, rows.Count);
        Assert.Equal(LineMark.Same, rows[0].Mark);
        Assert.Equal(new DiffRow("l0", "c0", LineMark.Differs), rows[1]);
        Assert.Equal(new DiffRow("l2999", null, LineMark.Differs), rows[3000]);
        Assert.Equal(new DiffRow("tail", "tail", LineMark.Same), rows[^1]);
    }
}
