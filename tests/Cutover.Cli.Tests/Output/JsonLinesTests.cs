using Cutover.Cli.Output;
using Cutover.Kernel.Comparison;

namespace Cutover.Cli.Tests.Output;

public sealed class JsonLinesTests
{
    [Fact]
    public void EachLine_KnowsThePathOfItsValue_InTheComparisonsSyntax()
    {
        var lines = JsonLines.Of("""{"a":[1,{"b c":2}],"e":{}}""")!;

        Assert.Equal(
            [("{", "$"), ("  \"a\": [", "$.a"), ("    1,", "$.a[0]"), ("    {", "$.a[1]"), ("      \"b c\": 2", "$.a[1]['b c']"), ("    }", "$.a[1]"), ("  ],", "$.a"), ("  \"e\": {}", "$.e"), ("}", "$")],
            lines.Select(l => (l.Text, JsonPathPattern.Format(l.Path))));
    }

    [Fact]
    public void OpeningAndClosingLines_KeyApart_AndAnEmptyContainerKeysAsAnOpening()
    {
        var filled = JsonLines.Of("""{"tags":["x"]}""")!;
        var empty = JsonLines.Of("""{"tags":[]}""")!;

        Assert.NotEqual(filled[1].Key, filled[3].Key);
        Assert.Equal(filled[1].Key, empty[1].Key);
    }

    [Fact]
    public void NotJson_OrCutShort_HasNoLines()
    {
        Assert.Null(JsonLines.Of("plain text"));
        Assert.Null(JsonLines.Of("{\"id\":1,\"na"));
    }
}
