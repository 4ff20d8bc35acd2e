using System.Globalization;
using System.Text.RegularExpressions;
using Cutover.Core.Checks;
using Cutover.Core.Comparison;
using Cutover.Core.Fleet;
using Cutover.Core.Metrics;
using Cutover.Core.Notifications;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Core.Security;
using Cutover.Core.Shadow;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a <see cref="CutoverConfig"/> and reports every problem at once, each naming the file,
/// the migration, the key, the value and what is allowed. The same validator serves
/// <c>serve</c>, <c>validate</c> and <c>apply</c>, so a file that passes one passes all.
/// </summary>
public static partial class ConfigValidator
{
    /// <summary>The silence timeout of legacy (and of the fallback) when the config names none: YARP's, what users of the old system get today.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The silence timeout of the candidate when the config names none: 10 seconds, as in the SDK.
    /// The candidate is the side on trial: when it hangs, a user should wait seconds for a 504
    /// (and be retried by their client), not the 100 seconds legacy is given.
    /// </summary>
    public static readonly TimeSpan DefaultCandidateTimeout = TimeSpan.FromSeconds(10);

    private const int MaxNameLength = 63;
    private const long MaxBufferBytes = 256L * 1024 * 1024;
    private const long MaxQueuedBytes = 64L * 1024 * 1024 * 1024;
    private const int MaxWebhookRetries = 100;

    // Cutover writes these itself for every delivery; a configured value would contradict the body or the connection.
    private static readonly string[] ReservedWebhookHeaders = ["Content-Type", "Content-Length", "Transfer-Encoding", "Connection", "Host"];

    /// <summary>Validates a parsed config; the definition is null exactly when there are errors.</summary>
    public static (CutoverDefinition? Definition, IReadOnlyList<ConfigError> Errors) Validate(CutoverConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ConfigError>();
        void Fail(int line, string? migration, string key, string message) => errors.Add(new ConfigError(config.Source, line, migration, key, message));

        var listen = ListenAddress(config.Listen, "listen", tls: false, Fail);
        var admin = ListenAddress(config.Admin, "admin", tls: true, Fail);
        var adminTls = AdminTlsValidator.Validate(config.AdminTls, admin, config.Folder, TimeProvider.System.GetUtcNow(), (line, key, message) => Fail(line, null, key, message));
        if (listen is not null && admin is not null && listen.Port == admin.Port && listen.Port != 0 && listen.Host == admin.Host)
        {
            Fail(0, null, "admin", $"'{config.Admin}' uses the same address as 'listen'; give the admin API its own port");
        }

        var adminAuth = AdminAuth(config, admin, Fail);
        if (StoreLocation.Classify(config.Store) is null)
        {
            Fail(0, null, "store", StoreLocation.Problem(config.Store));
        }

        var fallback = config.Fallback is null ? null : BackendAddress(config.Fallback, line: 0, migration: null, "fallback", Fail);
        var trustedProxies = TrustedProxiesValidator.Validate(config.TrustedProxies, (line, message) => Fail(line, null, "trustedProxies", message));

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

            // A code-level migration has no route, so nothing to collide with.
            if (definition.Kind == MigrationKind.Http && matches.TryGetValue(definition.Match.Canonical, out var other))
            {
                Fail(migration.Line, label, "match",
                    $"matches exactly the same requests as migration '{other}', so one of them would never be used; make the path prefix, host, methods or headers differ");
            }
            else if (definition.Kind == MigrationKind.Http)
            {
                matches[definition.Match.Canonical] = label;
            }

            migrations.Add(definition);
        }

        var migrationNames = config.Migrations.Select(m => m.Name).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var targets = new WebhookTargets(admin is null ? [] : [admin], []);
        var webhooks = config.Notifications.Webhooks
            .Select(w => ValidateWebhook(w, migrationNames, targets, (key, message) => Fail(w.Line, null, key, message)))
            .ToList();

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new CutoverDefinition(listen!, admin!, config.Store.Trim(), fallback, migrations, config.Source) { Webhooks = webhooks!, AdminAuth = adminAuth, AdminTls = adminTls, TrustedProxies = trustedProxies }, errors);
    }

    /// <summary>
    /// Validates a plan on its own against the migration it belongs to (its path prefix is the
    /// default path of smoke steps): a plan <c>cutover apply</c> stored is checked again this way
    /// when Cutover starts. The plan is null exactly when there are errors.
    /// </summary>
    public static (RolloutPlan? Plan, IReadOnlyList<ConfigError> Errors) ValidatePlan(PlanConfig plan, MigrationDefinition migration, string source)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(migration);
        var errors = new List<ConfigError>();
        var validated = PlanValidator.Validate(plan, migration.Match.PathPrefix, (line, key, message) => errors.Add(new ConfigError(source, line, migration.Name, key, message)));
        if (migration.Kind == MigrationKind.Code)
        {
            CodeMigrations.CheckPlan(validated, (key, message) => errors.Add(new ConfigError(source, plan.Line, migration.Name, key, message)));
        }

        return (errors.Count > 0 ? null : validated, errors);
    }

    /// <summary>Whether a name is allowed for a migration.</summary>
    public static bool IsValidName(string name) => name.Length <= MaxNameLength && NamePattern().IsMatch(name);

    /// <summary>The rule for names, for error messages.</summary>
    public const string NameRule = "lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. orders-api)";

    private const string GroupRule = "lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. payments)";

    private const string CheckNameRule = "lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. candidate-db)";

    private static MigrationDefinition? ValidateMigration(MigrationConfig migration, string label, Action<int, string?, string, string> fail)
    {
        var line = migration.Line;
        var failures = 0;
        void FailAt(int at, string key, string message)
        {
            failures++;
            fail(at, label, key, message);
        }

        void Fail(string key, string message) => FailAt(line, key, message);

        if (migration.Name.Length == 0)
        {
            Fail("name", $"is missing; every migration needs a name: {NameRule}");
        }
        else if (!IsValidName(migration.Name))
        {
            Fail("name", $"'{migration.Name}' is not allowed; use {NameRule}");
        }

        var kind = MigrationKind.Http;
        if (migration.Kind is not null && !MigrationKinds.TryParse(migration.Kind, out kind))
        {
            Fail("kind", $"'{migration.Kind}' is not a kind of migration; use {MigrationKinds.List}");
        }

        var code = kind == MigrationKind.Code;
        if (code)
        {
            CodeMigrations.CheckKeys(migration, Fail);
        }

        var match = code ? CodeMigrations.Match : ValidateMatch(migration.Match, Fail);
        var legacy = code ? CodeMigrations.Side : RequiredBackend(migration.Legacy, "legacy", Fail);
        var candidate = code ? CodeMigrations.Side : RequiredBackend(migration.Candidate, "candidate", Fail);

        var mode = MigrationMode.Legacy;
        if (migration.Mode is not null)
        {
            if (!MigrationModes.TryParse(migration.Mode, out mode))
            {
                Fail("mode", $"'{migration.Mode}' is not a mode; use {MigrationModes.List}");
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

        var legacyTimeout = Timeout(migration.Timeouts?.Legacy, DefaultTimeout, "timeouts.legacy", Fail);
        var candidateTimeout = Timeout(migration.Timeouts?.Candidate, DefaultCandidateTimeout, "timeouts.candidate", Fail);
        var shadow = migration.Shadow is not { } shadowConfig ? ShadowPolicy.Default : ValidateShadow(shadowConfig, (key, message) => FailAt(shadowConfig.Line, key, message));
        var compare = migration.Compare is not { } compareConfig ? ResponseRules.Default : ValidateCompare(compareConfig, (key, message) => FailAt(compareConfig.Line, key, message));
        var checks = migration.Checks is not { } checksConfig ? CheckPolicy.Default : ValidateChecks(checksConfig, FailAt);
        var errors = migration.Errors is not { } errorsConfig ? ErrorPolicy.Default : ErrorsValidator.Validate(errorsConfig, FailAt);

        var plan = migration.Plan is not { } planConfig ? null : PlanValidator.Validate(planConfig, match?.PathPrefix ?? "/", FailAt);
        if (code)
        {
            CodeMigrations.CheckPlan(plan, (key, message) => FailAt(migration.Plan!.Line, key, message));
        }

        if (migration.Group is { } group && !IsValidName(group))
        {
            Fail("group", group.Trim().Length == 0
                ? $"is empty; give the group's name ({GroupRule}), or leave the key out for no group"
                : $"'{group}' is not allowed; use {GroupRule}");
        }

        var priority = Priority.Normal;
        if (migration.Priority is not null && !Priorities.TryParse(migration.Priority, out priority))
        {
            Fail("priority", $"'{migration.Priority}' is not a priority; use {Priorities.List} (most urgent first), or leave it out for normal");
        }

        return failures > 0
            ? null
            : new MigrationDefinition(migration.Name, match!, legacy!, candidate!, mode, weight, sticky!, legacyTimeout, candidateTimeout, shadow, compare)
            {
                Kind = kind, Plan = plan, Checks = checks, Errors = errors, Group = migration.Group, Priority = priority,
            };
    }

    private static WebhookDefinition? ValidateWebhook(WebhookConfig webhook, IReadOnlyList<string> migrationNames, WebhookTargets targets, Action<string, string> fail)
    {
        var path = $"notifications.webhooks[{webhook.Index}]";
        var failures = 0;
        void Fail(string key, string message)
        {
            failures++;
            fail(path + "." + key, message);
        }

        var url = WebhookAddress(webhook.Url, Fail);
        if (url is not null && webhook.AllowPrivate != true && targets.Refusal(url) is { } refused)
        {
            Fail("url", $"'{webhook.Url!.Trim()}' points at {refused}; point the webhook at its receiver, or add allowPrivate: true to it if that address is meant");
        }

        var format = WebhookFormat.Json;
        if (webhook.Format is not null && !WebhookFormats.TryParse(webhook.Format, out format))
        {
            Fail("format", $"'{webhook.Format}' is not a webhook format; use {WebhookFormats.List}");
        }

        var events = new HashSet<RolloutEventKind>(Enum.GetValues<RolloutEventKind>());
        if (webhook.Events is { } eventNames)
        {
            events.Clear();
            if (eventNames.Count == 0)
            {
                Fail("events", $"is empty, so nothing would be sent; list some of {RolloutEventKinds.List}, or leave it out to send every event");
            }

            foreach (var name in eventNames)
            {
                if (RolloutEventKinds.TryParse(name.Trim(), out var kind))
                {
                    events.Add(kind.Value);
                }
                else
                {
                    Fail("events", $"'{name}' is not an event; use {RolloutEventKinds.List}");
                }
            }
        }

        HashSet<string>? migrations = null;
        if (webhook.Migrations is { } filter)
        {
            migrations = new HashSet<string>(StringComparer.Ordinal);
            if (filter.Count == 0)
            {
                Fail("migrations", "is empty, so nothing would be sent; name migrations of this file, or leave it out to send every migration's events");
            }

            foreach (var name in filter)
            {
                if (migrationNames.Contains(name.Trim(), StringComparer.Ordinal))
                {
                    migrations.Add(name.Trim());
                }
                else
                {
                    Fail("migrations", migrationNames.Count == 0
                        ? $"'{name}' is not a migration in this file, which has none; remove the filter or add the migration"
                        : $"'{name}' is not a migration in this file; use one of: {string.Join(", ", migrationNames)}");
                }
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in webhook.Headers ?? new Dictionary<string, string>())
        {
            if (!HeaderNamePattern().IsMatch(name))
            {
                Fail("headers", $"'{name}' is not a header name; use letters, digits and dashes (e.g. Authorization)");
            }
            else if (ReservedWebhookHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                Fail("headers." + name, "is written by Cutover for each delivery; remove it");
            }
            else if (value.Any(char.IsControl))
            {
                // The value is not shown: it is usually a credential.
                Fail("headers." + name, "the value holds a line break or another control character; write it on one line");
            }
            else
            {
                headers[name] = value.Trim();
            }
        }

        var timeout = Timeout(webhook.Timeout, WebhookDefinition.DefaultTimeout, "timeout", Fail);

        var retries = WholeNumber(webhook.Retries, WebhookDefinition.DefaultRetries, 0, MaxWebhookRetries, "retries", "attempts after the first (0 for none)", Fail);

        return failures > 0 ? null : new WebhookDefinition(webhook.Index, url!, format, events, migrations, headers, timeout, (int)retries) { AllowPrivate = webhook.AllowPrivate ?? false };
    }

    private static Uri? WebhookAddress(string? text, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            fail("url", "is missing; give the receiver's http:// or https:// URL (e.g. https://hooks.slack.com/services/...)");
            return null;
        }

        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0)
        {
            return uri;
        }

        fail("url", $"'{text}' is not a webhook URL; use http:// or https:// with a host and optional port, path and query, no fragment, and credentials in headers rather than user:password@ (e.g. https://hooks.example.com/cutover)");
        return null;
    }

    private static ShadowPolicy ValidateShadow(ShadowConfig shadow, Action<string, string> fail)
    {
        var defaults = ShadowPolicy.Default;
        var percent = shadow.Percent ?? defaults.Percent;
        if (percent is < 0 or > 100)
        {
            fail("shadow.percent", string.Create(CultureInfo.InvariantCulture, $"{percent} is outside 0..100; use the percentage of eligible requests to mirror"));
        }

        var methods = shadow.Methods is null ? defaults.Methods : Methods(shadow.Methods, "shadow.methods", fail).ToHashSet(StringComparer.Ordinal);
        var maxBody = WholeNumber(shadow.MaxBodyBytes, defaults.MaxBodyBytes, 0, MaxBufferBytes, "shadow.maxBodyBytes", "bytes of request body buffered for a copy", fail);
        var maxResponse = WholeNumber(shadow.MaxResponseBytes, defaults.MaxResponseBytes, 1024, MaxBufferBytes, "shadow.maxResponseBytes", "bytes of each answer captured", fail);
        var timeout = Timeout(shadow.Timeout, defaults.Timeout, "shadow.timeout", fail);
        var concurrency = WholeNumber(shadow.Concurrency, defaults.Concurrency, 1, 1024, "shadow.concurrency", "copies sent at once", fail);
        var queueSize = WholeNumber(shadow.QueueSize, defaults.QueueSize, 1, 1_000_000, "shadow.queueSize", "copies waiting to be sent", fail);
        // Unset, the budget still holds at least one copy of the largest size the other limits allow.
        var maxQueued = WholeNumber(shadow.MaxQueuedBytes, Math.Max(defaults.MaxQueuedBytes, maxBody + maxResponse), 1024 * 1024, MaxQueuedBytes, "shadow.maxQueuedBytes", "bytes the queued copies may hold", fail);
        if (shadow.MaxQueuedBytes is not null && maxQueued < maxBody + maxResponse)
        {
            // A budget smaller than one full copy would drop every copy of a large request or answer without a word in the file.
            fail("shadow.maxQueuedBytes", string.Create(CultureInfo.InvariantCulture,
                $"{maxQueued} is less than one copy may hold (maxBodyBytes {maxBody} + maxResponseBytes {maxResponse} = {maxBody + maxResponse}); raise it, or lower those limits"));
        }

        var redaction = defaults.Redaction;
        if (shadow.Redact is { } redact)
        {
            foreach (var name in redact.Headers.Where(h => !HeaderNamePattern().IsMatch(h)))
            {
                fail("shadow.redact.headers", $"'{name}' is not a header name; use letters, digits and dashes (e.g. X-Api-Key)");
            }

            var names = new List<string>();
            var paths = new List<JsonPathPattern>();
            foreach (var field in redact.Fields)
            {
                if (!field.StartsWith('$'))
                {
                    if (field.Trim().Length == 0)
                    {
                        fail("shadow.redact.fields", "an empty entry; give a property name such as password, or a path such as $.card.number");
                    }
                    else
                    {
                        names.Add(field.Trim());
                    }
                }
                else if (JsonPathPattern.TryParse(field, out var pattern, out var error))
                {
                    paths.Add(pattern!);
                }
                else
                {
                    fail("shadow.redact.fields", $"'{field}' is not a JSON path: {error}; use a property name such as password, or {JsonPathPattern.AllowedForms}");
                }
            }

            redaction = new Redaction(redact.Headers, names, paths);
        }

        return new ShadowPolicy(percent, methods, maxBody, maxResponse, timeout, shadow.NoiseProbe ?? defaults.NoiseProbe,
            shadow.AlsoInCanary ?? defaults.AlsoInCanary, (int)concurrency, (int)queueSize, maxQueued, redaction);
    }

    private static ResponseRules ValidateCompare(CompareConfig compare, Action<string, string> fail)
    {
        var tolerance = compare.NumericTolerance ?? 0;
        if (tolerance < 0)
        {
            fail("compare.numericTolerance", string.Create(CultureInfo.InvariantCulture, $"{tolerance} is negative; use 0 to compare numbers exactly, or the largest difference to accept (e.g. 0.001)"));
        }

        var headers = compare.Headers ?? ResponseRules.Default.Headers;
        foreach (var name in headers.Where(h => !HeaderNamePattern().IsMatch(h)))
        {
            fail("compare.headers", $"'{name}' is not a header name; use letters, digits and dashes (e.g. Content-Type)");
        }

        var rules = new ComparisonRules(Paths(compare.Ignore, "compare.ignore", fail), Math.Max(0, tolerance), Paths(compare.UnorderedArrays, "compare.unorderedArrays", fail));
        return new ResponseRules(rules, headers.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), compare.NormalizeWhitespace ?? false);
    }

    private static CheckPolicy ValidateChecks(ChecksConfig checks, Action<int, string, string> fail)
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
            else if (!IsValidName(item.Name))
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

            var url = CheckUrl(item.Url, FailItem);
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

    private static Uri? CheckUrl(string? text, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            fail("url", "is missing; give the URL to GET (e.g. http://127.0.0.1:9002/health/db)");
            return null;
        }

        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0)
        {
            return uri;
        }

        fail("url", $"'{text}' is not a check URL; use http:// or https:// with a host and optional port, path and query (e.g. http://127.0.0.1:9002/health/db)");
        return null;
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

    private static List<JsonPathPattern> Paths(IReadOnlyList<string> texts, string key, Action<string, string> fail)
    {
        var patterns = new List<JsonPathPattern>();
        foreach (var text in texts)
        {
            if (JsonPathPattern.TryParse(text, out var pattern, out var error))
            {
                patterns.Add(pattern!);
            }
            else
            {
                fail(key, $"'{text}' is not a JSON path: {error}; use {JsonPathPattern.AllowedForms}");
            }
        }

        return patterns;
    }

    private static long WholeNumber(double? value, long fallback, long min, long max, string key, string what, Action<string, string> fail)
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

    private static IEnumerable<string> Methods(IEnumerable<string> methods, string key, Action<string, string> fail)
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

        var methodFailures = 0;
        var methods = Methods(match.Methods, "match.methods", (key, message) =>
        {
            methodFailures++;
            fail(key, message);
        }).ToList();
        ok &= methodFailures == 0;

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

    private static AdminAuthMode AdminAuth(CutoverConfig config, Uri? admin, Action<int, string?, string, string> fail)
    {
        var mode = AdminAuthMode.None;
        switch (config.AdminAuth?.Trim())
        {
            case null or "none":
                break;
            case "tokens":
                mode = AdminAuthMode.Tokens;
                break;
            default:
                fail(0, null, "adminAuth", $"'{config.AdminAuth}' is not a way to authenticate admin callers; use none (loopback admin only) or tokens");
                break;
        }

        if (mode == AdminAuthMode.None && admin is not null && !LoopbackAddress.Is(admin))
        {
            fail(0, null, "admin", AdminExposure.Problem(config.Admin));
        }

        return mode;
    }

    /// <summary>An address to listen on; <paramref name="tls"/> allows https, whose certificate <see cref="AdminTlsValidator"/> checks.</summary>
    private static Uri? ListenAddress(string text, string key, bool tls, Action<int, string?, string, string> fail)
    {
        if (Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !tls)
        {
            fail(0, null, key, $"'{text}' asks for https, which Cutover serves only on admin (with adminTls), not here; terminate TLS in front of Cutover and listen on http://HOST:PORT");
            return null;
        }

        if (uri is not null && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.AbsolutePath == "/" && uri.Query.Length == 0)
        {
            return uri;
        }

        fail(0, null, key, $"'{text}' is not an address to listen on; use http://HOST:PORT (e.g. http://127.0.0.1:8080)");
        return null;
    }

    private static TimeSpan Timeout(string? text, TimeSpan fallback, string key, Action<string, string> fail)
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

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z]+$")]
    private static partial Regex MethodPattern();

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")]
    private static partial Regex HeaderNamePattern();
}
