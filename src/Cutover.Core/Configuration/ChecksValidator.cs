using System.Globalization;
using Cutover.Core.Checks;
using Cutover.Core.Values;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a migration's <c>checks</c> section and builds its <see cref="CheckPolicy"/>: the
/// health paths of both sides and the custom HTTP checks, each of which is reported under its
/// own name so a long list is fixed in one go.
/// </summary>
internal static class ChecksValidator
{
    private const string CheckNameRule = "lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. candidate-db)";

    /// <summary>Validates <paramref name="checks"/>; <paramref name="fail"/> gets (line, key, message).</summary>
    public static CheckPolicy Validate(ChecksConfig checks, Action<int, string, string> fail)
    {
        void FailSection(string key, string message) => fail(checks.Line, key, message);

        var legacyPath = HealthPath(checks.Health?.Legacy, "checks.health.legacy", FailSection);
        var candidatePath = HealthPath(checks.Health?.Candidate, "checks.health.candidate", FailSection);
        var timeout = CheckTimeout(checks.Timeout, CheckPolicy.DefaultTimeout, "checks.timeout", FailSection);

        var names = new HashSet<string>(StringComparer.Ordinal);
        var http = new List<HttpCheck>();
        for (var i = 0; i < checks.Http.Count; i++)
        {
            var item = checks.Http[i];
            var path = "checks.http." + (item.Name.Length > 0 ? item.Name : $"#{i + 1}");
            var failures = 0;
            void FailItem(string key, string message)
            {
                failures++;
                fail(item.Line, path + "." + key, message);
            }

            if (item.Name.Length == 0)
            {
                FailItem("name", $"is missing; every check needs a name: {CheckNameRule}");
            }
            else if (!Names.IsValid(item.Name))
            {
                FailItem("name", $"'{item.Name}' is not allowed; use {CheckNameRule}");
            }
            else if (CheckNames.BuiltIn.Contains(item.Name, StringComparer.Ordinal))
            {
                FailItem("name", $"'{item.Name}' is the name of a built-in check ({string.Join(", ", CheckNames.BuiltIn)}); give this one another name");
            }
            else if (!names.Add(item.Name))
            {
                FailItem("name", $"'{item.Name}' is used by more than one check of this migration; names must be unique");
            }

            var url = ValueRules.HttpUrl(item.Url, "url", "is missing; give the URL to GET (e.g. http://127.0.0.1:9002/health/db)",
                $"'{item.Url}' is not a check URL; use http:// or https:// with a host and optional port, path and query (e.g. http://127.0.0.1:9002/health/db)", FailItem);
            int? expect = null;
            if (item.ExpectStatus is { } status)
            {
                if (status != Math.Floor(status) || status is < 100 or > 599)
                {
                    FailItem("expectStatus", string.Create(CultureInfo.InvariantCulture,
                        $"{status} is not an HTTP status code; use a whole number in 100..599 (e.g. 200), or leave it out to accept any 2xx"));
                }
                else
                {
                    expect = (int)status;
                }
            }

            var itemTimeout = CheckTimeout(item.Timeout, timeout, "timeout", FailItem);
            if (failures == 0)
            {
                http.Add(new HttpCheck(item.Name, url!, expect, itemTimeout));
            }
        }

        return new CheckPolicy(legacyPath, candidatePath, timeout, http);
    }

    private static string HealthPath(string? text, string key, Action<string, string> fail)
    {
        if (text is null)
        {
            return CheckPolicy.DefaultHealthPath;
        }

        var path = text.Trim();
        if (path.StartsWith('/') && !path.Any(c => c == '#' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return path;
        }

        fail(key, $"'{text}' is not a path; start it with '/' and leave out '#' and spaces (e.g. /healthz); it is appended to the backend's URL");
        return CheckPolicy.DefaultHealthPath;
    }

    private static TimeSpan CheckTimeout(string? text, TimeSpan fallback, string key, Action<string, string> fail)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!Duration.TryParse(text, out var timeout) || timeout <= TimeSpan.Zero)
        {
            fail(key, $"'{text}' is not a positive duration; use {Duration.AllowedForms}");
            return fallback;
        }

        if (timeout > CheckPolicy.MaxTimeout)
        {
            fail(key, $"'{text}' is longer than 1m, the longest a check may take; someone waits for the checks, and a health endpoint should answer within seconds (e.g. 5s)");
            return fallback;
        }

        return timeout;
    }
}
