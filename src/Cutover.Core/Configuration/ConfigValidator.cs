using Cutover.Core.Notifications;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Core.State;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a <see cref="CutoverConfig"/> and reports every problem at once, each naming the file,
/// the migration, the key, the value and what is allowed. The same validator serves
/// <c>serve</c>, <c>validate</c> and <c>apply</c>, so a file that passes one passes all.
/// Each section has its own validator (<see cref="MigrationValidator"/> and the ones it calls,
/// <see cref="WebhookValidator"/>, <see cref="ListenersValidator"/>…); this class keeps what
/// needs the whole file: unique names, colliding matches, webhook filters naming migrations.
/// </summary>
public static class ConfigValidator
{
    /// <summary>The silence timeout of legacy (and of the fallback) when the config names none: YARP's, what users of the old system get today.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The silence timeout of the candidate when the config names none: 10 seconds, as in the SDK.
    /// The candidate is the side on trial: when it hangs, a user should wait seconds for a 504
    /// (and be retried by their client), not the 100 seconds legacy is given.
    /// </summary>
    public static readonly TimeSpan DefaultCandidateTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Validates a parsed config; the definition is null exactly when there are errors.</summary>
    public static (CutoverDefinition? Definition, IReadOnlyList<ConfigError> Errors) Validate(CutoverConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ConfigError>();
        void Fail(int line, string? migration, string key, string message) => errors.Add(new ConfigError(config.Source, line, migration, key, message));

        var listen = ListenersValidator.Address(config.Listen, "listen", Fail);
        var admin = ListenersValidator.Address(config.Admin, "admin", Fail);
        var listenProtocol = ListenersValidator.Protocol(config.ListenProtocol, "listenProtocol", listen, Fail);
        var adminProtocol = ListenersValidator.Protocol(config.AdminProtocol, "adminProtocol", admin, Fail);
        var now = TimeProvider.System.GetUtcNow();
        var tls = TlsValidator.Validate(config.Tls, "tls", listen, "listen", config.Folder, now, (line, key, message) => Fail(line, null, key, message));
        var adminTls = TlsValidator.Validate(config.AdminTls, "adminTls", admin, "admin", config.Folder, now, (line, key, message) => Fail(line, null, key, message));
        if (listen is not null && admin is not null && listen.Port == admin.Port && listen.Port != 0 && listen.Host == admin.Host)
        {
            Fail(0, null, "admin", $"'{config.Admin}' uses the same address as 'listen'; give the admin API its own port");
        }

        var adminAuth = ListenersValidator.AdminAuth(config, admin, Fail);
        if (StoreLocation.Classify(config.Store) is null)
        {
            Fail(0, null, "store", StoreLocation.Problem(config.Store));
        }

        var (fallback, fallbackBackend) = config.Fallback is null
            ? (null, BackendSettings.Default)
            : BackendsValidator.Backend(config.Fallback, "fallback", config.Folder, now, (line, key, message) => Fail(line, null, key, message));
        var trustedProxies = TrustedProxiesValidator.Validate(config.TrustedProxies, (line, message) => Fail(line, null, "trustedProxies", message));

        var migrations = new List<MigrationDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var matches = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Migrations.Count; i++)
        {
            var migration = config.Migrations[i];
            var label = migration.Name.Length > 0 ? migration.Name : $"#{i + 1}";
            var definition = MigrationValidator.Validate(migration, label, config.Folder, now, Fail);
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

            if (definition.Override is { } routeOverride && listen is not null && OverrideValidator.Exposure(routeOverride, listen, trustedProxies.Count > 0) is { } exposure)
            {
                Fail(migration.Override!.Line, label, "override", exposure);
            }

            migrations.Add(definition);
        }

        var lockstep = LockstepValidator.Validate(config.Lockstep, migrations, (line, message) => Fail(line, null, "lockstep", message));
        var migrationNames = config.Migrations.Select(m => m.Name).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var targets = new WebhookTargets(admin is null ? [] : [admin], []);
        var webhooks = config.Notifications.Webhooks
            .Select(w => WebhookValidator.Validate(w, migrationNames, targets, (key, message) => Fail(w.Line, null, key, message)))
            .ToList();

        var telemetry = TelemetryValidator.Validate(config.Telemetry, (line, key, message) => Fail(line, null, key, message));
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new CutoverDefinition(listen!, admin!, config.Store.Trim(), fallback, lockstep, config.Source) { ListenProtocol = listenProtocol, AdminProtocol = adminProtocol, FallbackBackend = fallbackBackend, Webhooks = webhooks!, AdminAuth = adminAuth, Tls = tls, AdminTls = adminTls, TrustedProxies = trustedProxies, Telemetry = telemetry }, errors);
    }

    /// <summary>
    /// Validates a plan on its own against the migration it belongs to (its path prefix is the
    /// default path of smoke steps): a plan <c>cutover apply</c> stored is checked again this way
    /// when Cutover starts. A backfill step's job file in it is found relative to the current
    /// folder, as it has no config file. The plan is null exactly when there are errors.
    /// </summary>
    public static (RolloutPlan? Plan, IReadOnlyList<ConfigError> Errors) ValidatePlan(PlanConfig plan, MigrationDefinition migration, string source)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(migration);
        var errors = new List<ConfigError>();
        var validated = PlanValidator.Validate(plan, migration.Match.PathPrefix, folder: null, (line, key, message) => errors.Add(new ConfigError(source, line, migration.Name, key, message)));
        if (migration.Kind == MigrationKind.Code)
        {
            CodeMigrations.CheckPlan(validated, (key, message) => errors.Add(new ConfigError(source, plan.Line, migration.Name, key, message)));
        }

        return (errors.Count > 0 ? null : validated, errors);
    }
}
