using System.Globalization;
using Cutover.Core.Values;

namespace Cutover.Core.Security;

/// <summary>
/// What a new token should be, as <c>cutover token create</c> and <c>POST /api/tokens</c> take it,
/// checked whole: every problem is reported at once, each naming the value and the fix.
/// </summary>
/// <param name="Name">The token's name, which the audit log shows as the actor of its changes.</param>
/// <param name="Role">What it may do.</param>
/// <param name="ExpiresIn">How long it works; null for until revoked.</param>
/// <param name="Migrations">The only migrations it may change or report on; null for all.</param>
public sealed record TokenRequest(string Name, AdminRole Role, TimeSpan? ExpiresIn, IReadOnlyList<string>? Migrations)
{
    /// <summary>The forms <c>--expires</c> takes, for messages.</summary>
    public const string ExpiryForms = "a number of days like 30d, or a duration like 12h";

    /// <summary>
    /// Checks the parts as typed; the request is null exactly when there are problems. With
    /// <paramref name="served"/> (the migrations a running Cutover serves), every migration named must be one of them.
    /// </summary>
    public static (TokenRequest? Request, IReadOnlyList<string> Problems) Parse(
        string? name, string? role, string? expires, IEnumerable<string>? migrations, IReadOnlyCollection<string>? served = null)
    {
        var problems = new List<string>();
        if (AccessToken.NameProblem(name) is { } nameProblem)
        {
            problems.Add(nameProblem);
        }

        if (!AdminRoles.TryParse(role, out var parsedRole))
        {
            problems.Add($"'{role}' is not a role; use {AdminRoles.List}");
        }

        TimeSpan? expiresIn = null;
        if (!string.IsNullOrWhiteSpace(expires))
        {
            expiresIn = Expiry(expires.Trim());
            if (expiresIn is null)
            {
                problems.Add($"'{expires}' is not an expiry; use {ExpiryForms}");
            }
        }

        List<string>? names = null;
        if (migrations is not null)
        {
            names = [.. migrations.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];
            problems.AddRange(names.Where(m => !Names.IsValid(m)).Select(m => $"'{m}' is not a migration name; names are lowercase letters, digits and dashes"));
            if (served is not null)
            {
                problems.AddRange(names.Where(m => Names.IsValid(m) && !served.Contains(m))
                    .Select(m => $"'{m}' is not a migration of this Cutover (it serves {string.Join(", ", served)})"));
            }

            if (names.Count == 0)
            {
                problems.Add("the migration list is empty; leave it out for a token that may change every migration");
            }
        }

        return problems.Count > 0 ? (null, problems) : (new TokenRequest(name!, parsedRole, expiresIn, names), problems);
    }

    private static TimeSpan? Expiry(string text)
    {
        if (text.EndsWith('d') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 3650)
        {
            return TimeSpan.FromDays(days);
        }

        return Duration.TryParse(text, out var duration) && duration >= TimeSpan.FromMinutes(1) && duration <= TimeSpan.FromDays(3650) ? duration : null;
    }
}
