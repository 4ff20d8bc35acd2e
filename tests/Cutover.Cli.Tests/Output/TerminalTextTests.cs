using Cutover.Cli.Output;
using Cutover.Cli.Text;

namespace Cutover.Cli.Tests.Output;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("error rate flat")]
    [InlineData("Zoë's café, 日本語, ☕")]
    [InlineData("👩\u200D💻 ships \u0915\u094D\u200D\u0937")] // the zero-width joiner of emoji and scripts stays
    [InlineData("[bold]not markup[/]")]
    [InlineData("")]
    public void Clean_TextWithNothingToClean_IsTheSameInstance(string text)
    {
        Assert.Same(text, TerminalText.Clean(text));
        Assert.Same(text, TerminalText.CleanLines(text));
    }

    [Fact]
    public void Clean_Null_IsNull()
    {
        Assert.Null(TerminalText.Clean(null));
        Assert.Null(TerminalText.CleanLines(null));
    }

    [Theory]
    [InlineData("a\u001b[2Jb", "ab")] // clear screen
    [InlineData("\u001b[38;5;196mred\u001b[0m", "red")] // colours
    [InlineData("\u001b[?1049hx\u001b[?1049l", "x")] // alternate screen, private parameters
    [InlineData("\u001b[1 q!", "!")] // an intermediate byte
    [InlineData("up\u001b[3A", "up")]
    [InlineData("cut\u001b[12", "cut")] // unfinished at the end
    [InlineData("\u001b[2\u0001J", "\uFFFDJ")] // broken by a control: nothing of the sequence can act any more
    public void Clean_ControlSequence_LeavesNothingBehind(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Clean(text));
    }

    [Theory]
    [InlineData("\u001b]0;pwned\u0007ok", "ok")] // window title, ended by BEL
    [InlineData("\u001b]0;pwned\u001b\\ok", "ok")] // ended by ST
    [InlineData("\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\", "click")] // a hidden link
    [InlineData("\u001b]52;c;ZWNobyBoaQ==\u0007x", "x")] // clipboard write
    [InlineData("a\u001b]0;never ended", "a")] // a terminal would swallow the rest too
    [InlineData("a\u001b]0;t\u0018b", "ab")] // cancelled by CAN
    [InlineData("a\u001b]0;t\u001b[31mb", "ab")] // cut short by a new sequence
    [InlineData("\u001bP1$r0m\u001b\\d", "d")] // DCS
    [InlineData("\u001bXsos\u001b\\s", "s")] // SOS
    [InlineData("\u001b^pm\u001b\\p", "p")] // PM
    [InlineData("\u001b_apc\u001b\\a", "a")] // APC
    public void Clean_ControlString_LeavesNothingBehind(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Clean(text));
    }

    [Theory]
    [InlineData("\u001bcreset", "reset")] // full reset
    [InlineData("\u001b7saved\u001b8", "saved")]
    [InlineData("\u001bMup", "up")] // reverse index
    [InlineData("\u001b(0box\u001b(B", "box")] // character sets
    [InlineData("\u001b#8fill", "fill")] // screen alignment: fills the screen with E
    [InlineData("end\u001b", "end")] // a lone ESC
    [InlineData("a\u001b\u001b[2Jb", "ab")]
    public void Clean_OtherEscapeSequences_LeaveNothingBehind(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Clean(text));
    }

    [Theory]
    [InlineData("\u009b31mred\u009b0m", "red")] // 8-bit CSI
    [InlineData("\u009d0;pwned\u0007x", "x")] // 8-bit OSC, ended by BEL
    [InlineData("\u009d0;pwned\u009cx", "x")] // ended by 8-bit ST
    [InlineData("\u0090q\u009cd", "d")] // 8-bit DCS
    [InlineData("\u0098s\u009c\u009ep\u009c\u009fa\u009cz", "z")] // 8-bit SOS, PM, APC
    public void Clean_EightBitSequences_LeaveNothingBehind(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Clean(text));
    }

    [Theory]
    [InlineData("a\u0000b", "a\uFFFDb")]
    [InlineData("ding\u0007", "ding\uFFFD")]
    [InlineData("back\u0008\u0008", "back\uFFFD\uFFFD")]
    [InlineData("\u000bv", "\uFFFDv")]
    [InlineData("del\u007f", "del\uFFFD")]
    [InlineData("\u0080\u0084\u009c", "\uFFFD\uFFFD\uFFFD")] // C1 controls (a lone ST too)
    [InlineData("a\tb", "a    b")]
    public void Clean_OtherControlCharacters_AreReplacedVisibly(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Clean(text));
    }

    [Fact]
    public void Clean_LineBreaks_BecomeSpaces_SoAValueStaysOnItsLine()
    {
        Assert.Equal("a b c d e f g", TerminalText.Clean("a\r\nb\nc\rd\u2028e\u0085f\u000cg"));
    }

    [Fact]
    public void CleanLines_LineBreaks_BecomeLineFeeds()
    {
        Assert.Equal("a\nb\nc\nd\ne\nf\ng", TerminalText.CleanLines("a\r\nb\u2029c\rd\u2028e\u0085f\u000cg"));
        Assert.Equal("2 problems:\n  x\uFFFD\n  red", TerminalText.CleanLines("2 problems:\r\n  x\u0007\n  \u001b[31mred"));
    }

    [Theory]
    [InlineData("\u202Eexe.txt", "exe.txt")] // right-to-left override
    [InlineData("a\u202Ab\u202Bc\u202Cd\u202De", "abcde")] // embeddings and overrides
    [InlineData("\u2066x\u2067y\u2068z\u2069", "xyz")] // isolates
    [InlineData("\u200Eltr\u200Frtl\u061Calm", "ltrrtlalm")] // marks
    [InlineData("ad\u200Bmin", "admin")] // zero-width space
    [InlineData("\uFEFFbom", "bom")]
    [InlineData("a\u2060b\u2062c\u2064d\u206Ae\u180Ef", "abcdef")] // word joiner, invisible operators, deprecated format, Mongolian vowel separator
    [InlineData("\uFFF9a\uFFFAb\uFFFB", "ab")] // interlinear annotation
    [InlineData("x\U000E0041\U000E007Fy", "xy")] // tag characters
    [InlineData("\U000E0100", "\U000E0100")] // a variation selector shares the tags' high surrogate and stays
    public void Clean_InvisibleFormatCharacters_AreRemoved(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Clean(text));
    }

    [Fact]
    public void Clean_EverythingAtOnce_KeepsTheVisibleLetters()
    {
        var reason = "fix \u001b[2Jrates\u001b]0;pwned\u0007 now \u009b31mred\u202Eowt";

        var clean = TerminalText.Clean(reason);

        Assert.Equal("fix rates now redowt", clean);
    }
}
