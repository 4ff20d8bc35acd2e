namespace Cutover.Core.Configuration;

/// <summary>
/// Checks the backends a request can go to (a migration's <c>legacy</c> and <c>candidate</c>,
/// the file's <c>fallback</c>) and a migration's <c>timeouts</c> for them: one rule for what a
/// backend URL may be, wherever it is written.
/// </summary>
internal static class BackendsValidator
{
    /// <summary>A migration's side, which must be given.</summary>
    public static Uri? Required(string? text, string key, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            fail(key, $"is missing; give the {key} backend's base URL (e.g. http://127.0.0.1:9001)");
            return null;
        }

        return Address(text, 0, null, key, (_, _, k, message) => fail(k, message));
    }

    /// <summary>A backend's base URL: http or https with a host, no query, fragment or credentials.</summary>
    public static Uri? Address(string text, int line, string? migration, string key, Action<int, string?, string, string> fail)
    {
        if (ValueRules.IsHttpUrl(text, out var uri) && uri.Query.Length == 0)
        {
            return uri;
        }

        fail(line, migration, key, $"'{text}' is not a backend URL; use http:// or https:// with a host and optional port and path, no query (e.g. http://127.0.0.1:9001)");
        return null;
    }

    /// <summary>The silence timeouts of both sides, each defaulting on its own (legacy is given longer, see <see cref="ConfigValidator.DefaultTimeout"/>).</summary>
    public static (TimeSpan Legacy, TimeSpan Candidate) Timeouts(TimeoutsConfig? timeouts, Action<string, string> fail) =>
        (ValueRules.Timeout(timeouts?.Legacy, ConfigValidator.DefaultTimeout, "timeouts.legacy", fail),
         ValueRules.Timeout(timeouts?.Candidate, ConfigValidator.DefaultCandidateTimeout, "timeouts.candidate", fail));
}
