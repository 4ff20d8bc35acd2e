using System.Globalization;
using System.Text.RegularExpressions;
using Cutover.Core.Routing;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a <see cref="CutoverConfig"/> and reports every problem at once, each naming the file,
/// the migration, the key, the value and what is allowed. The same validator serves
/// <c>serve</c>, <c>validate</c> and (later) <c>apply</c>, so a file that passes one passes all.
/// </summary>
public static partial class ConfigValidator
{
    /// <summary>The silence timeout of a side when the config names none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    private const int MaxNameLength = 63;

    /// <summary>Validates a parsed config; the definition is null exactly when there are errors.</summary>
    public static (CutoverDefinition? Definition, IReadOnlyList<ConfigError> Errors) Validate(CutoverConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ConfigError>();
        void Fail(int line, string? migration, string key, string message) => errors.Add(new ConfigError(config.Source, line, migration, key, message));

        var listen = ListenAddress(config.Listen, "listen", Fail);
        var admin = ListenAddress(config.Admin, "admin", Fail);
        if (listen is not null && admin is not null && listen.Port == admin.Port && listen.Port != 0 && listen.Host == admin.Host)
        {
            Fail(0, null, "admin", $"'{config.Admin}' uses the same address as 'listen'; give the admin API its own port");
        }

        if (StoreLocation.Classify(config.Store) is null)
        {
            Fail(0, null, "store", StoreLocation.Problem(config.Store));
        }

        var fallback = config.Fallback is null ? null : BackendAddress(config.Fallback, line: 0, migration: null, "fallback", Fail);

        var migrations = new List<MigrationDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var matches = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Migrations.Count; i++)
        {
            var migration = config.Migrations[i];
            var label = migration.Name.Length > 0 ? migration.Name : $"#{i + 1}";
            var definition = ValidateMigration(migration, label, Fail);
            if (migration.Name.Length > 0 && !names.Add(migration.Name))
            {
                Fail(migration.Line, label, "name", $"'{migration.Name}' is used by more than one migration; names must be unique");
            }

            if (definition is null)
            {
                continue;
            }

            if (matches.TryGetValue(definition.Match.Canonical, out var other))
            {
                Fail(migration.Line, label, "match",
                    $"matches exactly the same requests as migration '{other}', so one of them would never be used; make the path prefix, host, methods or headers differ");
            }
            else
            {
                matches[definition.Match.Canonical] = label;
            }

            migrations.Add(definition);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new CutoverDefinition(listen!, admin!, config.Store.Trim(), fallback, migrations, config.Source), errors);
    }

    /// <summary>Whether a name is allowed for a migration.</summary>
    public static bool IsValidName(string name) => name.Length <= MaxNameLength && NamePattern().IsMatch(name);

    /// <summary>The rule for names, for error messages.</summary>
    public const string NameRule = "lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. orders-api)";

    private static MigrationDefinition? ValidateMigration(MigrationConfig migration, string label, Action<int, string?, string, string> fail)
    {
        var line = migration.Line;
        var failures = 0;
        void Fail(string key, string message)
        {
            failures++;
            fail(line, label, key, message);
        }

        if (migration.Name.Length == 0)
        {
            Fail("name", $"is missing; every migration needs a name: {NameRule}");
        }
        else if (!IsValidName(migration.Name))
        {
            Fail("name", $"'{migration.Name}' is not allowed; use {NameRule}");
        }

        var match = ValidateMatch(migration.Match, Fail);
        var legacy = RequiredBackend(migration.Legacy, "legacy", Fail);
        var candidate = RequiredBackend(migration.Candidate, "candidate", Fail);

        var mode = MigrationMode.Legacy;
        if (migration.Mode is not null)
        {
            if (!MigrationModes.TryParse(migration.Mode, out mode))
            {
                Fail("mode", $"'{migration.Mode}' is not a mode; use {MigrationModes.AvailableList}");
            }
            else if (!mode.IsAvailable())
            {
                Fail("mode", $"'{migration.Mode}' is not available in this version of Cutover (shadow traffic comes later); use {MigrationModes.AvailableList}");
            }
        }

        var weight = migration.Weight ?? 0;
        if (weight is < 0 or > 100)
        {
            Fail("weight", string.Create(CultureInfo.InvariantCulture, $"{weight} is outside 0..100; use the percentage of users to send to the candidate, between 0 and 100"));
        }

        var sticky = StickyKeySource.TryParse(migration.StickyBy);
        if (sticky is null)
        {
            Fail("stickyBy", $"'{migration.StickyBy}' is not a sticky key; use {StickyKeySource.AllowedForms}, or leave it out to use Cutover's cookie");
        }

        var legacyTimeout = Timeout(migration.Timeouts?.Legacy, "timeouts.legacy", Fail);
        var candidateTimeout = Timeout(migration.Timeouts?.Candidate, "timeouts.candidate", Fail);

        return failures > 0
            ? null
            : new MigrationDefinition(migration.Name, match!, legacy!, candidate!, mode, weight, sticky!, legacyTimeout, candidateTimeout);
    }

    private static MatchModel? ValidateMatch(MatchConfig? match, Action<string, string> fail)
    {
        if (match is null || (string.IsNullOrWhiteSpace(match.PathPrefix) && string.IsNullOrWhiteSpace(match.Host)))
        {
            fail("match", "needs a pathPrefix or a host; use match: { pathPrefix: / } to send every request to this migration");
            return null;
        }

        var ok = true;
        var prefix = string.IsNullOrWhiteSpace(match.PathPrefix) ? "/" : match.PathPrefix.Trim();
        if (!prefix.StartsWith('/') || prefix.Contains('?', StringComparison.Ordinal) || prefix.Contains('#', StringComparison.Ordinal) || prefix.Contains('*', StringComparison.Ordinal))
        {
            fail("match.pathPrefix", $"'{match.PathPrefix}' is not a path prefix; it must start with '/' and hold no '?', '#' or '*' (e.g. /orders)");
            ok = false;
        }

        var host = string.IsNullOrWhiteSpace(match.Host) ? null : match.Host.Trim();
        if (host is not null && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            fail("match.host", $"'{match.Host}' is not a host name; write the name only, without scheme or port (e.g. shop.example.com)");
            ok = false;
        }

        var methods = new List<string>();
        foreach (var method in match.Methods)
        {
            if (!MethodPattern().IsMatch(method))
            {
                fail("match.methods", $"'{method}' is not an HTTP method; use names like GET, POST, PUT, DELETE");
                ok = false;
            }
            else
            {
                methods.Add(method.ToUpperInvariant());
            }
        }

        foreach (var name in match.Headers.Keys)
        {
            if (!HeaderNamePattern().IsMatch(name))
            {
                fail("match.headers", $"'{name}' is not a header name; use letters, digits and dashes (e.g. X-Tenant)");
                ok = false;
            }
        }

        return ok ? new MatchModel(prefix, host, methods.Distinct().ToList(), match.Headers.ToList()) : null;
    }

    private static Uri? RequiredBackend(string? text, string key, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            fail(key, $"is missing; give the {key} backend's base URL (e.g. http://127.0.0.1:9001)");
            return null;
        }

        return BackendAddress(text, 0, null, key, (_, _, k, message) => fail(k, message));
    }

    private static Uri? BackendAddress(string text, int line, string? migration, string key, Action<int, string?, string, string> fail)
    {
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0)
        {
            return uri;
        }

        fail(line, migration, key, $"'{text}' is not a backend URL; use http:// or https:// with a host and optional port and path, no query (e.g. http://127.0.0.1:9001)");
        return null;
    }

    private static Uri? ListenAddress(string text, string key, Action<int, string?, string, string> fail)
    {
        if (Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
        {
            fail(0, null, key, $"'{text}' asks for https, which Cutover cannot serve yet (there is no certificate setting); terminate TLS in front of Cutover and listen on http://HOST:PORT");
            return null;
        }

        if (uri is not null && uri.Scheme == Uri.UriSchemeHttp && uri.AbsolutePath == "/" && uri.Query.Length == 0)
        {
            return uri;
        }

        fail(0, null, key, $"'{text}' is not an address to listen on; use http://HOST:PORT (e.g. http://127.0.0.1:8080)");
        return null;
    }

    private static TimeSpan Timeout(string? text, string key, Action<string, string> fail)
    {
        if (text is null)
        {
            return DefaultTimeout;
        }

        if (Duration.TryParse(text, out var timeout) && timeout > TimeSpan.Zero)
        {
            return timeout;
        }

        fail(key, $"'{text}' is not a positive duration; use {Duration.AllowedForms}");
        return DefaultTimeout;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z]+$")]
    private static partial Regex MethodPattern();

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")]
    private static partial Regex HeaderNamePattern();
}
