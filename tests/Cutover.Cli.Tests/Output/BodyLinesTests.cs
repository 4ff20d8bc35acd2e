using Cutover.Cli.Output;

namespace Cutover.Cli.Tests.Output;

public sealed class BodyLinesTests
{
    [Fact]
    public void JsonObject_IsIndentedOneValuePerLine_KeepingNumbersAndTextAsSent()
    {
        var lines = BodyLines.Of("""{"id":1,"total":42.50,"name":"Zoë \"Z\"","tags":["a"]}""");

        Assert.Equal(["{", "  \"id\": 1,", "  \"total\": 42.50,", "  \"name\": \"Zoë \\\"Z\\\"\",", "  \"tags\": [", "    \"a\"", "  ]", "}"], lines);
    }

    [Fact]
    public void CutShortJson_IsShownAsTheTextItIs()
    {
        Assert.Equal(["{\"id\":1,\"na"], BodyLines.Of("{\"id\":1,\"na"));
    }

    [Fact]
    public void Text_IsSplitIntoLines_WithTabsControlCharactersAndEscapeSequencesMadeHarmless()
    {
        Assert.Equal(["a    b", "c\uFFFDde", "f"], BodyLines.Of("a\tb\r\nc\u0001d\u001b[2Je\u2028\u202Ef"));
    }

    [Fact]
    public void JsonWithControlAndInvisibleCharacters_ShowsThemEscaped()
    {
        Assert.Equal(["{", "  \"note\": \"\\u001B[2J \\u202Eowt\"", "}"], BodyLines.Of("{\"note\":\"\\u001b[2J \u202Eowt\"}"));
    }

    [Fact]
    public void EmptyBody_HasNoLines()
    {
        Assert.Empty(BodyLines.Of(string.Empty));
    }
}
