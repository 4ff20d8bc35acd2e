using Cutover.Cli.Output;
using Cutover.Core.Comparison;
using Cutover.Core.Shadow;

namespace Cutover.Cli.Tests.Output;

public sealed class SampleRendererTests
{
    private static readonly Dictionary<string, string> NoHeaders = [];

    [Fact]
    public void TextThatLooksLikeMarkup_IsShownAsItIs()
    {
        var sample = Sample(
            """{"items":[{"price":1}],"card":"[redacted]","note":"[/]"}""",
            """{"items":[{"price":2}],"card":"[redacted]","note":"[bold]"}""",
            [new Difference("$.items[0].price", DifferenceKind.ValueChanged, "1", "2"), new Difference("$.note", DifferenceKind.ValueChanged, "\"[/]\"", "\"[bold]\"")],
            totalDifferences: 2);

        var text = Render(sample);

        Assert.Contains("\"card\": \"[redacted]\",", text, StringComparison.Ordinal);
        Assert.Matches(@"""note"": ""\[/\]"" +\| +""note"": ""\[bold\]""", text);
        Assert.Matches(@"\$\.note\s+value changed\s+""\[/\]""\s+""\[bold\]""", text);
        Assert.DoesNotContain("more (a sample lists", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreDifferencesThanListed_SaysHowManyMore()
    {
        var sample = Sample("""{"a":1,"b":1,"c":1}""", """{"a":2,"b":2,"c":2}""", [new Difference("$.a", DifferenceKind.ValueChanged, "1", "2")], totalDifferences: 3);

        Assert.Contains("... and 2 more (a sample lists the first 1)", Render(sample), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingValues_AndEmptyBodies_AreNamed()
    {
        var sample = Sample(string.Empty, """{"id":1}""", [new Difference("body", DifferenceKind.Added, null, "{\"id\":1}")], totalDifferences: 1);

        var text = Render(sample);

        Assert.Matches(@"\(empty body\) +\| +\{", text);
        Assert.Matches(@"body\s+added by candidate\s+\(none\)\s+\{""id"":1\}", text);
    }

    private static DivergenceSample Sample(string legacy, string candidate, IReadOnlyList<Difference> differences, int totalDifferences) => new(
        7,
        "GET /orders/{id}",
        differences[0].Path,
        new DateTimeOffset(2026, 11, 22, 4, 22, 17, TimeSpan.Zero),
        new SampleRequest("GET", "/orders/1", NoHeaders, string.Empty, false),
        new SampleResponse(200, NoHeaders, legacy, false, 12.34),
        new SampleResponse(200, NoHeaders, candidate, false, 5),
        differences,
        totalDifferences);

    private static string Render(DivergenceSample sample)
    {
        var text = new StringWriter();
        SampleRenderer.Write(new CliOutput(text, TextWriter.Null), sample);
        return text.ToString();
    }
}
