using Cutover.Cli.Output;

namespace Cutover.Cli.Tests.Output;

public sealed class CliTableTests
{
    [Fact]
    public void Write_InATerminalTooNarrow_CutsTheLeastImportantValuesAtAWord_AndKeepsEveryHeaderWhole()
    {
        var output = Terminal(50, out var text);

        Table().Add("orders", "waiting for the finance team to confirm the ledger", "7").Write(output);

        Assert.Equal(["NAME    REASON                             VERSION", new string('─', 50), "orders  waiting for the finance team to…   7"], Lines(text));
    }

    [Fact]
    public void Write_InATerminalFarTooNarrow_LeavesOutTheLeastImportantColumns_AndSaysWhich()
    {
        var output = Terminal(40, out var text);

        Table().Add("orders", "waiting for the finance team to confirm the ledger", "7").Write(output);

        var lines = Lines(text);
        Assert.Equal("NAME    REASON", lines[0]);
        Assert.Equal("orders  waiting for the finance team to…", lines[2]);
        Assert.Equal(["(VERSION left out to fit 40 columns; a", "wider terminal, a pipe or --json shows", "every column.)"], lines[3..]);
        Assert.All(lines, line => Assert.True(line.Length <= 40, line));
    }

    [Fact]
    public void Write_ToAPipe_IsTabSeparatedRows_WithoutPaddingRuleOrColour_AndCleaned()
    {
        var output = new CliOutput(new StringWriter(), new StringWriter());
        var check = new CliTable(new CliColumn("CHECK"), new CliColumn("RESULT", Colour: _ => "red"), new CliColumn("DETAIL", Shrinks: true));

        check.Add("health", "FAIL", "legacy said \u001B[2J503\tnow").Add("rollback path", "pass", null).Write(output);

        Assert.Equal("CHECK\tRESULT\tDETAIL\nhealth\tFAIL\tlegacy said 503    now\nrollback path\tpass\t—\n", output.Out.ToString());
    }

    [Theory]
    [InlineData("the quick brown fox jumps over the lazy dog", 12, new[] { "the quick", "brown fox", "jumps over", "the lazy dog" })]
    [InlineData("  - an indented item that goes on", 14, new[] { "  - an", "  indented", "  item that", "  goes on" })]
    [InlineData("averyveryverylongword and more", 10, new[] { "averyveryv", "erylongwor", "d and more" })]
    public void Wrap_BreaksAtSpaces_CuttingOnlyAWordLongerThanALine(string text, int width, string[] expected)
    {
        Assert.Equal(expected, TextFit.Wrap(text, width));
    }

    private static CliTable Table() => new(new CliColumn("NAME", Shrinks: true), new CliColumn("REASON", Keep: 1, Shrinks: true), new CliColumn("VERSION", Keep: 2));

    private static CliOutput Terminal(int width, out StringWriter text)
    {
        text = new StringWriter();
        return new CliOutput(text, new StringWriter(), width);
    }

    private static string[] Lines(StringWriter text) => text.ToString().TrimEnd('\n').Split('\n');
}
