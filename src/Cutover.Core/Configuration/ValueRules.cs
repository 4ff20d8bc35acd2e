using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Cutover.Core.Values;

namespace Cutover.Core.Configuration;

/// <summary>
/// The value rules several sections share (header names, HTTP methods, durations, bounded whole
/// numbers), so a value is refused with the same words wherever in the file it appears.
/// </summary>
internal static partial class ValueRules
{
    /// <summary>Whether <paramref name="name"/> is a header name (an RFC 9110 token).</summary>
    public static bool IsHeaderName(string name) => HeaderNamePattern().IsMatch(name);

    /// <summary>The methods upper-cased; each one that is not a method name is reported under <paramref name="key"/>.</summary>
    public static IEnumerable<string> Methods(IEnumerable<string> methods, string key, Action<string, string> fail)
    {
        foreach (var method in methods)
        {
            if (MethodPattern().IsMatch(method))
            {
                yield return method.ToUpperInvariant();
            }
            else
            {
                fail(key, $"'{method}' is not an HTTP method; use names like GET, POST, PUT, DELETE");
            }
        }
    }

    /// <summary>A positive duration, or <paramref name="fallback"/> when none is given or it is reported as wrong.</summary>
    public static TimeSpan Timeout(string? text, TimeSpan fallback, string key, Action<string, string> fail)
    {
        if (text is null)
        {
            return fallback;
        }

        if (Duration.TryParse(text, out var timeout) && timeout > TimeSpan.Zero)
        {
            return timeout;
        }

        fail(key, $"'{text}' is not a positive duration; use {Duration.AllowedForms}");
        return fallback;
    }

    /// <summary>A whole number in <paramref name="min"/>..<paramref name="max"/> counting <paramref name="what"/>, or <paramref name="fallback"/>.</summary>
    public static long WholeNumber(double? value, long fallback, long min, long max, string key, string what, Action<string, string> fail)
    {
        if (value is not { } number)
        {
            return fallback;
        }

        if (number != Math.Floor(number) || number < min || number > max)
        {
            fail(key, string.Create(CultureInfo.InvariantCulture, $"{number} is not a whole number in {min}..{max}; give the number of {what}"));
            return fallback;
        }

        return (long)number;
    }

    /// <summary>
    /// A URL Cutover calls itself (a check, a webhook): <paramref name="missing"/> is reported when
    /// none is given, <paramref name="wrong"/> when it is not one <see cref="IsHttpUrl"/> takes.
    /// </summary>
    public static Uri? HttpUrl(string? text, string key, string missing, string wrong, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            fail(key, missing);
            return null;
        }

        if (IsHttpUrl(text, out var uri))
        {
            return uri;
        }

        fail(key, wrong);
        return null;
    }

    /// <summary>
    /// Whether <paramref name="text"/> is an absolute http or https URL with a host, no fragment (it is
    /// never sent) and no user:password@ (credentials belong in headers): the rule every URL Cutover calls shares.
    /// </summary>
    public static bool IsHttpUrl(string text, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;

    [GeneratedRegex("^[A-Za-z]+$")]
    private static partial Regex MethodPattern();

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")]
    private static partial Regex HeaderNamePattern();
}
