using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Cutover.Core.Values;

namespace Cutover.Core.Analysis;

/// <summary>
/// Reads a <see cref="Condition"/>'s text token by token. Stops at the first problem and says
/// what it found and what would fit there, since the person reading it is editing a plan.
/// </summary>
internal sealed class ConditionParser
{
    // Far beyond any count, rate or latency; keeps every factor × metric product finite.
    private const int MaxWholeDigits = 15;

    private readonly string _text;
    private int _position;

    private ConditionParser(string text) => _text = text;

    /// <summary>Parses a condition; on failure <paramref name="error"/> names the problem and the fix.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Condition? condition, [NotNullWhen(false)] out string? error)
    {
        condition = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the condition is empty";
            return false;
        }

        return new ConditionParser(text).TryParseCondition(out condition, out error);
    }

    private bool TryParseCondition([NotNullWhen(true)] out Condition? condition, [NotNullWhen(false)] out string? error)
    {
        condition = null;
        if (!TryParseOperand(null, out var left, out error))
        {
            return false;
        }

        var symbol = Next();
        if (ComparisonOperator.Find(symbol) is not { } comparison)
        {
            error = $"expected one of {ComparisonOperator.List} after '{left.Text}'{Found(symbol)}";
            return false;
        }

        if (!TryParseOperand(comparison.Symbol, out var right, out error))
        {
            return false;
        }

        if (left.Metric is null && right.Metric is null)
        {
            error = "compares two numbers; at least one side must be a metric";
            return false;
        }

        var next = Next();
        string? durationText = null;
        var duration = TimeSpan.Zero;
        if (next == "for")
        {
            durationText = Next();
            if (durationText is null)
            {
                error = $"'for' must be followed by a duration; use {Duration.AllowedForms}";
                return false;
            }

            if (!Duration.TryParse(durationText, out duration))
            {
                error = $"'{durationText}' after 'for' is not a duration; use {Duration.AllowedForms}";
                return false;
            }

            next = Next();
            if (next is not null)
            {
                error = $"unexpected '{next}' after the condition; nothing may follow the duration";
                return false;
            }
        }
        else if (next is not null)
        {
            error = $"unexpected '{next}' after the condition; only 'for' and a duration may follow it";
            return false;
        }

        condition = new Condition(left, comparison, right, durationText, duration);
        return true;
    }

    private bool TryParseOperand(string? after, [NotNullWhen(true)] out Operand? operand, [NotNullWhen(false)] out string? error)
    {
        operand = null;
        var where = after is null ? "at the start" : $"after '{after}'";
        var token = Next();
        if (token is null)
        {
            error = $"expected a metric or a number {where}";
            return false;
        }

        if (IsNumber(token))
        {
            if (!TryReadNumber(token, out var value, out error))
            {
                return false;
            }

            if (Peek() != "*")
            {
                operand = Operand.Number(token, value);
                return true;
            }

            Next();
            var name = Next();
            if (name is null || !char.IsAsciiLetter(name[0]))
            {
                error = $"expected a metric after '{token} *'{Found(name)}";
                return false;
            }

            if (ConditionMetric.Find(name) is not { } scaled)
            {
                error = UnknownMetric(name);
                return false;
            }

            operand = Operand.Of(scaled, token, value);
            return true;
        }

        if (ConditionMetric.Find(token) is { } metric)
        {
            if (Peek() != "*")
            {
                operand = Operand.Of(metric, null, 1);
                error = null;
                return true;
            }

            Next();
            var factor = Next();
            if (factor is null || !IsNumber(factor))
            {
                var hint = factor is not null && ConditionMetric.Find(factor) is not null ? "; a metric can only be multiplied by a number" : string.Empty;
                error = $"expected a number after '{token} *'{Found(factor)}{hint}";
                return false;
            }

            if (!TryReadNumber(factor, out var value, out error))
            {
                return false;
            }

            operand = Operand.Of(metric, factor, value);
            return true;
        }

        error = char.IsAsciiLetter(token[0]) ? UnknownMetric(token)
            : token[0] is '-' or '+' or '.' || char.IsAsciiDigit(token[0]) ? $"'{token}' is not a number; write numbers as plain decimals such as 0.01, 2 or 1.1"
            : $"expected a metric or a number {where}{Found(token)}";
        return false;
    }

    private static bool TryReadNumber(string token, out double value, [NotNullWhen(false)] out string? error)
    {
        var whole = token.TrimStart('-').Split('.')[0];
        if (whole.Length > MaxWholeDigits)
        {
            value = 0;
            error = $"'{token}' is too large; no metric comes near a number with more than {MaxWholeDigits} digits before the point";
            return false;
        }

        value = double.Parse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        error = null;
        return true;
    }

    /// <summary>A plain decimal: an optional minus, digits, and optionally a point followed by digits.</summary>
    private static bool IsNumber(string token)
    {
        var digits = token.AsSpan(token.StartsWith('-') ? 1 : 0);
        var point = digits.IndexOf('.');
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? "0" : digits[(point + 1)..];
        return !whole.IsEmpty && !fraction.IsEmpty && !whole.ContainsAnyExceptInRange('0', '9') && !fraction.ContainsAnyExceptInRange('0', '9');
    }

    private static string UnknownMetric(string name)
    {
        var sameLetters = Condition.MetricNames.FirstOrDefault(m => string.Equals(m, name, StringComparison.OrdinalIgnoreCase));
        return sameLetters is null
            ? $"unknown metric '{name}'; use one of: {string.Join(", ", Condition.MetricNames)}"
            : $"unknown metric '{name}'; metric names are case-sensitive: use '{sameLetters}'";
    }

    private static string Found(string? token) => token is null ? string.Empty : $", found '{token}'";

    private static bool IsComparisonCharacter(char c) => c is '<' or '>' or '=' or '!';

    /// <summary>
    /// The next token, consumed; null at the end. A run of comparison characters ("&lt;=", but also
    /// "==" for the error message), a "*", or a word: anything else up to whitespace, one of those, or the end.
    /// </summary>
    private string? Next()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }

        if (_position == _text.Length)
        {
            return null;
        }

        var start = _position;
        if (IsComparisonCharacter(_text[_position]))
        {
            while (_position < _text.Length && IsComparisonCharacter(_text[_position]))
            {
                _position++;
            }
        }
        else if (_text[_position] == '*')
        {
            _position++;
        }
        else
        {
            while (_position < _text.Length && !char.IsWhiteSpace(_text[_position]) && !IsComparisonCharacter(_text[_position]) && _text[_position] != '*')
            {
                _position++;
            }
        }

        return _text[start.._position];
    }

    private string? Peek()
    {
        var position = _position;
        var token = Next();
        _position = position;
        return token;
    }
}
