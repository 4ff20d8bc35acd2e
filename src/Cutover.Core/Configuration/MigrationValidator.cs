using System.Globalization;
using Cutover.Core.Checks;
using Cutover.Core.Comparison;
using Cutover.Core.Fleet;
using Cutover.Core.Routing;
using Cutover.Core.Shadow;
using Cutover.Core.Values;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks one migration: its own keys (name, kind, mode, weight, stickyBy, sideHeader, group, priority)
/// here, each section by its own validator. What needs the whole file (unique names, matches
/// that collide) is <see cref="ConfigValidator"/>'s.
/// </summary>
internal static class MigrationValidator
{
    private const string GroupRule = "lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. payments)";

    /// <summary>
    /// Validates <paramref name="migration"/>, named <paramref name="label"/> in errors;
    /// <paramref name="fail"/> gets (line, migration, key, message); files it names are read from
    /// <paramref name="folder"/> (the current folder when null), and certificates are judged valid at
    /// <paramref name="now"/>. Returns null when anything failed.
    /// </summary>
    public static MigrationDefinition? Validate(MigrationConfig migration, string label, string? folder, DateTimeOffset now, Action<int, string?, string, string> fail)
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
            Fail("name", $"is missing; every migration needs a name: {Names.Rule}");
        }
        else if (!Names.IsValid(migration.Name))
        {
            Fail("name", $"'{migration.Name}' is not allowed; use {Names.Rule}");
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

        var match = code ? CodeMigrations.Match : MatchValidator.Validate(migration.Match, Fail);
        var (legacy, legacyBackend) = code ? (CodeMigrations.Side, BackendSettings.Default) : BackendsValidator.Required(migration.Legacy, "legacy", line, folder, now, FailAt);
        var (candidate, candidateBackend) = code ? (CodeMigrations.Side, BackendSettings.Default) : BackendsValidator.Required(migration.Candidate, "candidate", line, folder, now, FailAt);

        var mode = MigrationMode.Legacy;
        if (migration.Mode is not null)
        {
            if (!MigrationModes.TryParse(migration.Mode, out mode))
            {
                Fail("mode", $"'{migration.Mode}' is not a mode; use {MigrationModes.List}");
            }
        }

        var percent = migration.Weight ?? 0;
        if (!Weight.TryFromPercent(percent, out var weight))
        {
            Fail("weight", string.Create(CultureInfo.InvariantCulture, $"{percent} is outside 0..100; use the percentage of users to send to the candidate, between 0 and 100"));
        }

        var sticky = StickyKeySource.TryParse(migration.StickyBy);
        if (sticky is null)
        {
            Fail("stickyBy", $"'{migration.StickyBy}' is not a sticky key; use {StickyKeySource.AllowedForms}, or leave it out to use Cutover's cookie");
        }

        var (legacyTimeout, candidateTimeout) = BackendsValidator.Timeouts(migration.Timeouts, Fail);
        var shadow = migration.Shadow is not { } shadowConfig ? ShadowPolicy.Default : ShadowValidator.Validate(shadowConfig, (key, message) => FailAt(shadowConfig.Line, key, message));
        var compare = migration.Compare is not { } compareConfig ? ResponseRules.Default : CompareValidator.Validate(compareConfig, folder, (key, message) => FailAt(compareConfig.Line, key, message));
        var checks = migration.Checks is not { } checksConfig ? CheckPolicy.Default : ChecksValidator.Validate(checksConfig, FailAt);
        var errors = migration.Errors is not { } errorsConfig ? ErrorPolicy.Default : ErrorsValidator.Validate(errorsConfig, FailAt);
        var routeOverride = migration.Override is not { } overrideConfig ? null : OverrideValidator.Validate(overrideConfig, FailAt);
        var failover = migration.Failover is not { } failoverConfig ? null : FailoverValidator.Validate(failoverConfig, FailAt);

        var plan = migration.Plan is not { } planConfig ? null : PlanValidator.Validate(planConfig, match?.PathPrefix ?? "/", folder, FailAt);
        if (code)
        {
            CodeMigrations.CheckPlan(plan, (key, message) => FailAt(migration.Plan!.Line, key, message));
        }

        if (migration.Group is { } group && !Names.IsValid(group))
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
                Kind = kind, Backends = new SideBackends(legacyBackend, candidateBackend), Plan = plan, Checks = checks, Errors = errors, Failover = failover, Group = migration.Group, Priority = priority,
                SideHeader = migration.SideHeader ?? false, Override = routeOverride,
            };
    }
}
