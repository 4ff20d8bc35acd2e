using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Cutover.Cli.Text;

/// <summary>
/// Makes text that came from outside (a reason or actor someone typed, a client's request, a
/// backend's answer or error, a source database's keys) safe to print on a terminal. A terminal
/// obeys escape sequences in whatever it is given: a reason holding <c>ESC [ 2 J</c> would clear
/// the screen of whoever runs <c>cutover audit</c>, an OSC sequence could retitle the window or hide
/// a link, and a bidirectional override could make a line read differently from what it holds.
/// So every renderer passes such text through here first: whole escape sequences (7-bit and 8-bit)
/// are removed, other control characters become U+FFFD (a tab becomes four spaces), and invisible
/// format characters (bidirectional controls, zero-width spaces, tag characters) are removed.
/// Spectre's <c>Markup.Escape</c> is still needed on top where text goes into markup: it guards
/// Spectre's brackets, not the terminal.
/// </summary>
internal static class TerminalText
{
    // What a control character that is not part of a sequence becomes, so its place still shows.
    private const char Replacement = '\uFFFD';
    private const string Tab = "    ";
    private const char Escape = '\u001B';
    private const char Bell = '\u0007';
    private const char Cancel = '\u0018';
    private const char Substitute = '\u001A';
    private const char ControlSequenceIntroducer = '\u009B';
    private const char StringTerminator = '\u009C';

    // Listed once for Invisible and NeedsCleaning.
    private const string InvisibleCharacters =
        "\u061C\u180E\u200B\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2060\u2061\u2062\u2063\u2064" +
        "\u2066\u2067\u2068\u2069\u206A\u206B\u206C\u206D\u206E\u206F\uFEFF\uFFF9\uFFFA\uFFFB";

    // The first half of the surrogate pairs U+E0000–U+E03FF; U+E0000–U+E007F are the invisible tag characters.
    private const char TagHighSurrogate = '\uDB40';

    /// <summary>
    /// Characters that draw nothing yet change how a line reads: the bidirectional marks, embeddings,
    /// overrides and isolates, zero-width spaces and joiners between words, invisible operators and
    /// annotation marks. The zero-width joiner and non-joiner (U+200C, U+200D) are kept: emoji and
    /// several scripts need them.
    /// </summary>
    public static readonly SearchValues<char> Invisible = SearchValues.Create(InvisibleCharacters);

    // Everything that needs a look: C0, DEL, C1, the line and paragraph separators, the invisible characters, and the tags' high surrogate.
    private static readonly SearchValues<char> NeedsCleaning = SearchValues.Create(
        string.Concat(Range('\u0000', '\u001F'), Range('\u007F', '\u009F'), "\u2028\u2029", InvisibleCharacters) + TagHighSurrogate);

    /// <summary>
    /// <paramref name="text"/> as one safe line: line breaks become spaces, so a value cannot forge
    /// another row of a table or another line of a log. Returns the same instance when there is
    /// nothing to clean, which is nearly always.
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Clean(string? text) => text is null ? null : Clean(text, keepLines: false);

    /// <summary>
    /// <paramref name="text"/> safe to print over several lines: each line break (CR LF, CR, LF,
    /// NEL, FF, U+2028, U+2029) becomes one <c>\n</c>, everything else is cleaned as by
    /// <see cref="Clean(string?)"/>. For messages that are meant to span lines, such as a config's
    /// list of problems, and for bodies shown line by line.
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? CleanLines(string? text) => text is null ? null : Clean(text, keepLines: true);

    private static string Clean(string text, bool keepLines)
    {
        var next = text.AsSpan().IndexOfAny(NeedsCleaning);
        if (next < 0)
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        var at = 0;
        while (next >= 0)
        {
            clean.Append(text, at, next);
            at = Replace(text, at + next, clean, keepLines);
            next = text.AsSpan(at).IndexOfAny(NeedsCleaning);
        }

        return clean.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>Appends what the character at <paramref name="at"/> (and the sequence it may start) becomes; returns where the text goes on.</summary>
    private static int Replace(string text, int at, StringBuilder clean, bool keepLines)
    {
        var c = text[at];
        switch (c)
        {
            case Escape:
                return AfterEscape(text, at + 1);
            case ControlSequenceIntroducer:
                return AfterControlSequence(text, at + 1);
            case '\u0090' or '\u0098' or '\u009D' or '\u009E' or '\u009F':
                // DCS, SOS, OSC, PM, APC: a string up to its terminator.
                return AfterControlString(text, at + 1);
            case '\t':
                clean.Append(Tab);
                return at + 1;
            case '\r' or '\n' or '\f' or '\u0085' or '\u2028' or '\u2029':
                clean.Append(keepLines ? '\n' : ' ');
                return c == '\r' && at + 1 < text.Length && text[at + 1] == '\n' ? at + 2 : at + 1;
            case TagHighSurrogate:
                if (at + 1 < text.Length && text[at + 1] is >= '\uDC00' and <= '\uDC7F')
                {
                    return at + 2;
                }

                clean.Append(c);
                return at + 1;
        }

        if (!Invisible.Contains(c))
        {
            clean.Append(Replacement);
        }

        return at + 1;
    }

    /// <summary>Where a sequence begun by ESC ends; <paramref name="at"/> is just after the ESC. A lone ESC ends at once.</summary>
    private static int AfterEscape(string text, int at)
    {
        if (at == text.Length)
        {
            return at;
        }

        return text[at] switch
        {
            '[' => AfterControlSequence(text, at + 1),
            ']' or 'P' or 'X' or '^' or '_' => AfterControlString(text, at + 1),
            // Intermediate bytes then a final byte, such as ESC ( B or ESC # 8.
            >= '\u0020' and <= '\u002F' => AfterFinal(text, Skip(text, at, '\u0020', '\u002F'), '\u0030'),
            >= '\u0030' and <= '\u007E' => at + 1,
            _ => at,
        };
    }

    /// <summary>A CSI sequence: parameter and intermediate bytes, then one final byte.</summary>
    private static int AfterControlSequence(string text, int at) => AfterFinal(text, Skip(text, at, '\u0020', '\u003F'), '\u0040');

    /// <summary>An OSC, DCS, SOS, PM or APC string: it ends at BEL or ST (ESC \ or U+009C), is cancelled by CAN or SUB or a new ESC, and otherwise runs to the end, as a terminal would swallow it.</summary>
    private static int AfterControlString(string text, int at)
    {
        for (; at < text.Length; at++)
        {
            switch (text[at])
            {
                case Bell or StringTerminator or Cancel or Substitute:
                    return at + 1;
                case Escape:
                    return at + 1 < text.Length && text[at + 1] == '\\' ? at + 2 : at;
            }
        }

        return at;
    }

    private static int Skip(string text, int at, char first, char last)
    {
        while (at < text.Length && text[at] >= first && text[at] <= last)
        {
            at++;
        }

        return at;
    }

    private static int AfterFinal(string text, int at, char firstFinal) =>
        at < text.Length && text[at] >= firstFinal && text[at] <= '\u007E' ? at + 1 : at;

    private static string Range(char first, char last) => new([.. Enumerable.Range(first, last - first + 1).Select(c => (char)c)]);
}
