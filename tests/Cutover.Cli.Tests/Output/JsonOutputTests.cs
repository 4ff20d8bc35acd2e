using System.Text.Json;
using Cutover.Cli.Output;
using Cutover.Cli.Text;

namespace Cutover.Cli.Tests.Output;

public sealed class JsonOutputTests
{
    [Fact]
    public void Serialize_OutsideText_IsKeptButEveryControlAndInvisibleCharacterIsEscaped()
    {
        var reason = "fix \u001b[2Jrates\u001b]0;pwned\u0007 \u009b31mred\u202Eowt \u2066x\u2069 ad\u200Bmin\u0085\U000E0041";

        var json = JsonOutput.Serialize(new { reason });

        Assert.DoesNotContain(json, c => (c < ' ' && c != '\n') || c is >= '\u007f' and <= '\u009f' || TerminalText.Invisible.Contains(c) || char.IsSurrogate(c));
        Assert.Contains(@"\u001B[2J", json, StringComparison.Ordinal);
        Assert.Contains(@"\u009B31m", json, StringComparison.Ordinal);
        Assert.Contains(@"\u202E", json, StringComparison.Ordinal);
        Assert.Contains(@"\u200B", json, StringComparison.Ordinal);
        Assert.Equal(reason, JsonDocument.Parse(json).RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void Serialize_ReadableText_StaysAsItIs()
    {
        var json = JsonOutput.Serialize(new { time = "2026-01-01T10:00:00+00:00", note = "Zoë's \"café\" <b>" });

        Assert.Contains("\"2026-01-01T10:00:00+00:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Zoë's \\\"café\\\" <b>\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EscapeInvisible_JsonWithoutThem_IsTheSameInstance()
    {
        var json = """{"a":"Zoë 👍"}""";

        Assert.Same(json, JsonOutput.EscapeInvisible(json));
    }
}
