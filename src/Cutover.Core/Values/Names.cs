using System.Text.RegularExpressions;

namespace Cutover.Core.Values;

/// <summary>
/// The rule for the names people give migrations, checks and fleet groups: one rule, so a name
/// the config file accepts is one a token can be scoped to, a URL can carry and a metric label can hold.
/// </summary>
public static partial class Names
{
    private const int MaxLength = 63;

    /// <summary>The rule, for error messages.</summary>
    public const string Rule = "lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. orders-api)";

    /// <summary>Whether a name is allowed.</summary>
    public static bool IsValid(string name) => name.Length <= MaxLength && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Pattern();
}
