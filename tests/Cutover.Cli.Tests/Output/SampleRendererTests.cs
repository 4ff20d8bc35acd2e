using Cutover.Cli.Output;
using Cutover.Core.Shadow;
using Cutover.Kernel.Comparison;

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
    public void GrpcSampleWithAStatusDifference_ShowsTheDecodedMessagesSideBySide()
    {
        var sample = Sample(
            """{"id":"o-7","total":12.5}""",
            """{"id":"o-7","total":12}""",
            [new Difference("grpc-status", DifferenceKind.ValueChanged, "OK", "UNAVAILABLE"), new Difference("$.total", DifferenceKind.ValueChanged, "12.5", "12")],
            totalDifferences: 2);

        var text = Render(sample);

        Assert.Matches(@"\n {2}""total"": 12\.5 +\| +""total"": 12\n", text);
        Assert.Matches(@"grpc-status\s+value changed\s+OK\s+UNAVAILABLE", text);
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

    [Fact]
    public void NumbersThatComparedEqual_AreNotMarked_AndTheReportedPathIs()
    {
        var sample = Sample("""{"id":1,"total":2.50,"vat":1}""", """{"id":1,"total":2.5,"vat":2}""", [new Difference("$.vat", DifferenceKind.ValueChanged, "1", "2")], totalDifferences: 1);

        var text = Render(sample);

        Assert.Matches(@"\n {2}""total"": 2\.50, +""total"": 2\.5,\n", text);
        Assert.Matches(@"\n {2}""vat"": 1 +\| +""vat"": 2\n", text);
        Assert.Contains("Marks: | differs, < legacy only, > candidate only (at a path the comparison reported, listed below); ~ ignored by compare.ignore; n learned noise; unmarked lines compared equal.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void IgnoredPath_IsShownAsIgnored_WithEverythingUnderIt()
    {
        var sample = Sample(
            """{"id":1,"meta":{"requestId":"a","at":1},"vat":1}""",
            """{"id":1,"meta":{"requestId":"b","at":2},"vat":2}""",
            [new Difference("$.vat", DifferenceKind.ValueChanged, "1", "2")],
            totalDifferences: 1);

        var text = Render(sample, ignored: ["$.meta"]);

        Assert.Matches(@"\n {2}""meta"": \{ + ~ + {2}""meta"": \{\n", text);
        Assert.Matches(@"\n {4}""requestId"": ""a"", + ~ + {4}""requestId"": ""b"",\n", text);
        Assert.Matches(@"\n {2}""vat"": 1 +\| +""vat"": 2\n", text);
        Assert.Matches(@"\n {2}""id"": 1, +""id"": 1,\n", text);
    }

    [Fact]
    public void NoisePath_IsShownAsNoise_ForEveryArrayElement()
    {
        var sample = Sample(
            """{"items":[{"sku":"a","updatedAt":"t1"},{"sku":"b","updatedAt":"t2"}],"vat":1}""",
            """{"items":[{"sku":"a","updatedAt":"t3"},{"sku":"b","updatedAt":"t4"}],"vat":2}""",
            [new Difference("$.vat", DifferenceKind.ValueChanged, "1", "2")],
            totalDifferences: 1);

        var text = Render(sample, noise: ["$.items[*].updatedAt", "header:ETag"]);

        Assert.Matches(@"\n {6}""updatedAt"": ""t1"" + n + {6}""updatedAt"": ""t3""\n", text);
        Assert.Matches(@"\n {6}""updatedAt"": ""t2"" + n + {6}""updatedAt"": ""t4""\n", text);
        Assert.Matches(@"\n {6}""sku"": ""a"", +""sku"": ""a"",\n", text);
    }

    [Fact]
    public void TypeChange_MarksTheWholeValueOnBothSides()
    {
        var sample = Sample(
            """{"customer":"Ann","id":1}""",
            """{"customer":{"name":"Ann"},"id":1}""",
            [new Difference("$.customer", DifferenceKind.TypeChanged, "\"Ann\"", "{\"name\":\"Ann\"}")],
            totalDifferences: 1);

        var text = Render(sample);

        Assert.Matches(@"\n {2}""customer"": ""Ann"", +\| + {2}""customer"": \{\n", text);
        Assert.Matches(@"\n +> + {4}""name"": ""Ann""\n", text);
        Assert.Matches(@"\n +> + {2}\},\n", text);
        Assert.Matches(@"\n {2}""id"": 1 +""id"": 1\n", text);
    }

    [Fact]
    public void DifferencesNotAllListed_MarkOtherLinesWhoseTextDiffers()
    {
        var sample = Sample("""{"a":1,"b":1,"c":1.0}""", """{"a":2,"b":2,"c":1}""", [new Difference("$.a", DifferenceKind.ValueChanged, "1", "2")], totalDifferences: 2);

        var text = Render(sample);

        Assert.Matches(@"\n {2}""b"": 1, +\| +""b"": 2,\n", text);
        Assert.Matches(@"\n {2}""c"": 1\.0 +\| +""c"": 1\n", text);
    }

    [Fact]
    public void BodyComparedAsAWhole_IsATextDiff_AndSaysSo()
    {
        var sample = Sample("""{"total":2.50}""", """{"total":2.5}""", [new Difference("body", DifferenceKind.ValueChanged, "a", "b")], totalDifferences: 1);

        var text = Render(sample);

        Assert.Matches(@"\n {2}""total"": 2\.50 +\| +""total"": 2\.5\n", text);
        Assert.Contains("Marks: | differs, < legacy only, > candidate only (the text differs: this body was compared as a whole).", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NarrowConsole_StacksTheBodies_WithTheSameMarks()
    {
        var sample = Sample("""{"requestId":"a","total":2.50,"vat":1}""", """{"requestId":"b","total":2.5,"vat":2}""", [new Difference("$.vat", DifferenceKind.ValueChanged, "1", "2")], totalDifferences: 1);

        var text = Render(sample, ignored: ["$.requestId"], width: 60);

        Assert.Contains("\n~   \"requestId\": \"a\",\n", text, StringComparison.Ordinal);
        Assert.Contains("\n    \"total\": 2.50,\n", text, StringComparison.Ordinal);
        Assert.Contains("\n-   \"vat\": 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\n+   \"vat\": 2\n", text, StringComparison.Ordinal);
        Assert.Contains("Marks: - legacy, + candidate (at a path", text, StringComparison.Ordinal);
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

    private static string Render(DivergenceSample sample, IReadOnlyList<string>? ignored = null, IReadOnlyList<string>? noise = null, int width = 160)
    {
        var text = new StringWriter();
        var output = new CliOutput(text, TextWriter.Null);
        output.Console.Profile.Width = width;
        SampleRenderer.Write(output, sample, ignored ?? [], noise ?? []);
        return text.ToString();
    }
}
