using YamlDotNet.RepresentationModel;

namespace Cutover.Core.Configuration;

/// <summary>
/// Turns config YAML into a <see cref="CutoverConfig"/>, reporting shape problems (syntax, unknown
/// keys, wrong types) with their lines. Values are checked afterwards by <see cref="ConfigValidator"/>.
/// </summary>
public static class ConfigReader
{
    private static readonly string[] FileKeys = ["listen", "admin", "adminAuth", "adminTls", "store", "fallback", "trustedProxies", "migrations", "notifications"];
    private static readonly string[] AdminTlsKeys = ["certificate", "key", "pfx", "password"];
    private static readonly string[] MigrationKeys = ["name", "kind", "match", "legacy", "candidate", "mode", "weight", "stickyBy", "timeouts", "shadow", "compare", "checks", "plan", "errors", "group", "priority"];
    private static readonly string[] MatchKeys = ["pathPrefix", "host", "methods", "headers"];
    private static readonly string[] TimeoutKeys = ["legacy", "candidate"];
    private static readonly string[] ShadowKeys = ["percent", "methods", "maxBodyBytes", "maxResponseBytes", "timeout", "noiseProbe", "alsoInCanary", "concurrency", "queueSize", "maxQueuedBytes", "redact"];
    private static readonly string[] RedactKeys = ["headers", "fields"];
    private static readonly string[] ChecksKeys = ["health", "timeout", "http"];
    private static readonly string[] HealthKeys = ["legacy", "candidate"];
    private static readonly string[] HttpCheckKeys = ["name", "url", "expectStatus", "timeout"];
    private static readonly string[] ErrorsKeys = ["statuses", "connectionFailures", "timeouts", "unansweredAfter"];
    private static readonly string[] CompareKeys = ["ignore", "headers", "numericTolerance", "unorderedArrays", "normalizeWhitespace"];

    private static readonly string[] NotificationKeys = ["webhooks"];
    private static readonly string[] WebhookKeys = ["url", "format", "events", "migrations", "headers", "timeout", "retries", "allowPrivate"];
    private static readonly string[] PlanKeys = ["steps", "gates", "triggers", "minSamples", "inconclusiveAfter", "drainTimeout"];
    private static readonly string[] StepKinds = ["shadow", "weight", "pause", "smoke", "retire"];
    private static readonly string[] ShadowStepKeys = ["duration", "minRequests"];
    private static readonly string[] PauseStepKeys = ["duration"];
    private static readonly string[] SmokeStepKeys = ["requests", "path"];

    /// <summary>Parses YAML text; <paramref name="source"/> names it in errors (usually the file name).</summary>
    public static (CutoverConfig Config, IReadOnlyList<ConfigError> Errors) Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var walker = new YamlConfigWalker(source);
        var (root, error) = YamlConfigWalker.Load(yaml, source, "the file is empty; it needs at least a 'migrations' list");
        if (root is null)
        {
            return (new CutoverConfig { Source = source }, [error!]);
        }

        var config = new CutoverConfig { Source = source };
        foreach (var (key, value) in walker.Entries(root, null, string.Empty, FileKeys))
        {
            config = key switch
            {
                "listen" => config with { Listen = walker.Scalar(value, null, key) ?? config.Listen },
                "admin" => config with { Admin = walker.Scalar(value, null, key) ?? config.Admin },
                "adminAuth" => config with { AdminAuth = walker.Scalar(value, null, key) },
                "adminTls" => config with { AdminTls = ReadAdminTls(walker, value) },
                "store" => config with { Store = walker.Scalar(value, null, key) ?? config.Store },
                "fallback" => config with { Fallback = walker.Scalar(value, null, key) },
                "trustedProxies" => config with
                {
                    TrustedProxies = walker.LinedList(value, null, key).ConvertAll(item => new TrustedProxyConfig(item.Text, item.Line)),
                },
                "migrations" => config with { Migrations = ReadMigrations(walker, value) },
                _ => config with { Notifications = ReadNotifications(walker, value) },
            };
        }

        return (config, walker.Errors);
    }

    private static List<MigrationConfig> ReadMigrations(YamlConfigWalker walker, YamlNode node)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            walker.Error(node, null, "migrations", "expected a list of migrations (each item starting with '- name: ...')");
            return [];
        }

        return list.Children.Select((item, index) => ReadMigration(walker, item, index)).ToList();
    }

    private static MigrationConfig ReadMigration(YamlConfigWalker walker, YamlNode node, int index)
    {
        var label = (node as YamlMappingNode)?.Children
            .FirstOrDefault(c => c.Key is YamlScalarNode { Value: "name" }).Value is YamlScalarNode { Value: { Length: > 0 } name }
            ? name
            : $"#{index + 1}";
        var migration = new MigrationConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in walker.Entries(node, label, string.Empty, MigrationKeys))
        {
            migration = key switch
            {
                "name" => migration with { Name = walker.Scalar(value, label, key) ?? string.Empty },
                "kind" => migration with { Kind = walker.Scalar(value, label, key) },
                "match" => migration with { Match = ReadMatch(walker, value, label) },
                "legacy" => migration with { Legacy = walker.Scalar(value, label, key) },
                "candidate" => migration with { Candidate = walker.Scalar(value, label, key) },
                "mode" => migration with { Mode = walker.Scalar(value, label, key) },
                "weight" => migration with { Weight = walker.Number(value, label, key, "use a percentage between 0 and 100") },
                "stickyBy" => migration with { StickyBy = walker.Scalar(value, label, key) },
                "timeouts" => migration with { Timeouts = ReadTimeouts(walker, value, label) },
                "shadow" => migration with { Shadow = ReadShadow(walker, value, label) },
                "plan" => migration with { Plan = ReadPlan(walker, value, label) },
                "checks" => migration with { Checks = ReadChecks(walker, value, label) },
                "errors" => migration with { Errors = ReadErrors(walker, value, label) },
                "group" => migration with { Group = walker.Scalar(value, label, key) },
                "priority" => migration with { Priority = walker.Scalar(value, label, key) },
                _ => migration with { Compare = ReadCompare(walker, value, label) },
            };
        }

        return migration;
    }

    private static MatchConfig ReadMatch(YamlConfigWalker walker, YamlNode node, string migration)
    {
        var match = new MatchConfig();
        foreach (var (key, value) in walker.Entries(node, migration, "match", MatchKeys))
        {
            var fullKey = "match." + key;
            match = key switch
            {
                "pathPrefix" => match with { PathPrefix = walker.Scalar(value, migration, fullKey) },
                "host" => match with { Host = walker.Scalar(value, migration, fullKey) },
                "methods" => match with { Methods = walker.StringList(value, migration, fullKey) },
                _ => match with { Headers = walker.StringMap(value, migration, fullKey) },
            };
        }

        return match;
    }

    private static TimeoutsConfig ReadTimeouts(YamlConfigWalker walker, YamlNode node, string migration)
    {
        var timeouts = new TimeoutsConfig();
        foreach (var (key, value) in walker.Entries(node, migration, "timeouts", TimeoutKeys))
        {
            var text = walker.Scalar(value, migration, "timeouts." + key);
            timeouts = key == "legacy" ? timeouts with { Legacy = text } : timeouts with { Candidate = text };
        }

        return timeouts;
    }

    private static ShadowConfig ReadShadow(YamlConfigWalker walker, YamlNode node, string migration)
    {
        var shadow = new ShadowConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in walker.Entries(node, migration, "shadow", ShadowKeys))
        {
            var fullKey = "shadow." + key;
            shadow = key switch
            {
                "percent" => shadow with { Percent = walker.Number(value, migration, fullKey, "use a percentage between 0 and 100") },
                "methods" => shadow with { Methods = walker.StringList(value, migration, fullKey) },
                "maxBodyBytes" => shadow with { MaxBodyBytes = walker.Number(value, migration, fullKey, "use a number of bytes, e.g. 1048576") },
                "maxResponseBytes" => shadow with { MaxResponseBytes = walker.Number(value, migration, fullKey, "use a number of bytes, e.g. 4194304") },
                "timeout" => shadow with { Timeout = walker.Scalar(value, migration, fullKey) },
                "noiseProbe" => shadow with { NoiseProbe = walker.Boolean(value, migration, fullKey) },
                "alsoInCanary" => shadow with { AlsoInCanary = walker.Boolean(value, migration, fullKey) },
                "concurrency" => shadow with { Concurrency = walker.Number(value, migration, fullKey, "use a whole number of concurrent copies, e.g. 32") },
                "queueSize" => shadow with { QueueSize = walker.Number(value, migration, fullKey, "use a whole number of waiting copies, e.g. 1000") },
                "maxQueuedBytes" => shadow with { MaxQueuedBytes = walker.Number(value, migration, fullKey, "use a number of bytes, e.g. 67108864") },
                _ => shadow with { Redact = ReadRedact(walker, value, migration) },
            };
        }

        return shadow;
    }

    private static RedactConfig ReadRedact(YamlConfigWalker walker, YamlNode node, string migration)
    {
        var redact = new RedactConfig();
        foreach (var (key, value) in walker.Entries(node, migration, "shadow.redact", RedactKeys))
        {
            var list = walker.StringList(value, migration, "shadow.redact." + key);
            redact = key == "headers" ? redact with { Headers = list } : redact with { Fields = list };
        }

        return redact;
    }

    private static CompareConfig ReadCompare(YamlConfigWalker walker, YamlNode node, string migration)
    {
        var compare = new CompareConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in walker.Entries(node, migration, "compare", CompareKeys))
        {
            var fullKey = "compare." + key;
            compare = key switch
            {
                "ignore" => compare with { Ignore = walker.StringList(value, migration, fullKey) },
                "headers" => compare with { Headers = walker.StringList(value, migration, fullKey) },
                "numericTolerance" => compare with { NumericTolerance = walker.Number(value, migration, fullKey, "use a non-negative number, e.g. 0.001") },
                "unorderedArrays" => compare with { UnorderedArrays = walker.StringList(value, migration, fullKey) },
                _ => compare with { NormalizeWhitespace = walker.Boolean(value, migration, fullKey) },
            };
        }

        return compare;
    }

    private static ErrorsConfig ReadErrors(YamlConfigWalker walker, YamlNode node, string migration)
    {
        var errors = new ErrorsConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in walker.Entries(node, migration, "errors", ErrorsKeys))
        {
            var fullKey = "errors." + key;
            errors = key switch
            {
                "statuses" => errors with { Statuses = ReadStatuses(walker, value, migration, fullKey) },
                "connectionFailures" => errors with { ConnectionFailures = walker.Boolean(value, migration, fullKey) },
                "unansweredAfter" => errors with { UnansweredAfter = walker.Scalar(value, migration, fullKey) },
                _ => errors with { Timeouts = walker.Boolean(value, migration, fullKey) },
            };
        }

        return errors;
    }

    private static List<ErrorStatusConfig>? ReadStatuses(YamlConfigWalker walker, YamlNode node, string migration, string key) =>
        OptionalList(walker, () => walker.LinedList(node, migration, key).ConvertAll(item => new ErrorStatusConfig(item.Text, item.Line)));

    private static PlanConfig ReadPlan(YamlConfigWalker walker, YamlNode node, string migration)
    {
        var plan = new PlanConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in walker.Entries(node, migration, "plan", PlanKeys))
        {
            var fullKey = "plan." + key;
            plan = key switch
            {
                "steps" => plan with { Steps = ReadSteps(walker, value, migration) },
                "gates" => plan with { Gates = walker.StringList(value, migration, fullKey) },
                "triggers" => plan with { Triggers = walker.StringList(value, migration, fullKey) },
                "minSamples" => plan with { MinSamples = walker.Number(value, migration, fullKey, "use a whole number of requests per side, e.g. 200") },
                "inconclusiveAfter" => plan with { InconclusiveAfter = walker.Scalar(value, migration, fullKey) },
                _ => plan with { DrainTimeout = walker.Scalar(value, migration, fullKey) },
            };
        }

        return plan;
    }

    private static List<PlanStepConfig> ReadSteps(YamlConfigWalker walker, YamlNode node, string migration)
    {
        if (node is not YamlSequenceNode list)
        {
            walker.Error(node, migration, "plan.steps", "expected a list of steps, each one of '- shadow: {duration: 10m}', '- weight: 5', '- pause: {duration: 5m}', '- pause: {}', '- smoke: {requests: 20}', '- retire: {}'");

            // A step without a kind, so the plan is not also reported as having no steps.
            return [new PlanStepConfig { Line = (int)node.Start.Line }];
        }

        var steps = new List<PlanStepConfig>();
        foreach (var (item, index) in list.Children.Select((item, index) => (item, index)))
        {
            var key = $"plan.steps[{index + 1}]";
            if (item is YamlScalarNode { Value: "retire" })
            {
                steps.Add(new PlanStepConfig { Kind = "retire", Line = (int)item.Start.Line });
                continue;
            }

            var entries = walker.Entries(item, migration, key, StepKinds).ToList();
            if (entries.Count != 1)
            {
                if (item is YamlMappingNode { Children.Count: not 1 })
                {
                    walker.Error(item, migration, key, $"a step has exactly one kind, found {((YamlMappingNode)item).Children.Count}; write each step as its own list item (- weight: 5)");
                }

                // Kept without a kind (already reported), so the plan is not also reported as having no steps.
                steps.Add(new PlanStepConfig { Line = (int)item.Start.Line });
                continue;
            }

            var (kind, value) = entries[0];
            var step = new PlanStepConfig { Kind = kind, Line = (int)item.Start.Line };
            var stepKey = $"{key}.{kind}";
            steps.Add(kind switch
            {
                "weight" => step with { Weight = walker.Number(value, migration, stepKey, "use the percentage of users to send to the candidate, e.g. 25") },
                "retire" => ReadEmpty(walker, value, migration, stepKey, step),
                _ => ReadStepValues(walker, value, migration, stepKey, step),
            });
        }

        return steps;
    }

    private static PlanStepConfig ReadEmpty(YamlConfigWalker walker, YamlNode node, string migration, string key, PlanStepConfig step)
    {
        if (node is not (YamlMappingNode { Children.Count: 0 } or YamlScalarNode { Value: null or "" }))
        {
            walker.Error(node, migration, key, "takes no values; write '- retire: {}'");
        }

        return step;
    }

    private static PlanStepConfig ReadStepValues(YamlConfigWalker walker, YamlNode node, string migration, string key, PlanStepConfig step)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return step;
        }

        var allowed = step.Kind switch
        {
            "shadow" => ShadowStepKeys,
            "pause" => PauseStepKeys,
            _ => SmokeStepKeys,
        };
        foreach (var (name, value) in walker.Entries(node, migration, key, allowed))
        {
            var fullKey = $"{key}.{name}";
            step = name switch
            {
                "duration" => step with { Duration = walker.Scalar(value, migration, fullKey) },
                "minRequests" => step with { MinRequests = walker.Number(value, migration, fullKey, "use a whole number of compared requests, e.g. 1000") },
                "requests" => step with { Requests = walker.Number(value, migration, fullKey, "use a whole number of requests, e.g. 20") },
                _ => step with { Path = walker.Scalar(value, migration, fullKey) },
            };
        }

        return step;
    }

    private static ChecksConfig ReadChecks(YamlConfigWalker walker, YamlNode node, string migration)
    {
        var checks = new ChecksConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in walker.Entries(node, migration, "checks", ChecksKeys))
        {
            checks = key switch
            {
                "health" => checks with { Health = ReadHealth(walker, value, migration) },
                "timeout" => checks with { Timeout = walker.Scalar(value, migration, "checks.timeout") },
                _ => checks with { Http = ReadHttpChecks(walker, value, migration) },
            };
        }

        return checks;
    }

    private static HealthChecksConfig ReadHealth(YamlConfigWalker walker, YamlNode node, string migration)
    {
        var health = new HealthChecksConfig();
        foreach (var (key, value) in walker.Entries(node, migration, "checks.health", HealthKeys))
        {
            var path = walker.Scalar(value, migration, "checks.health." + key);
            health = key == "legacy" ? health with { Legacy = path } : health with { Candidate = path };
        }

        return health;
    }

    private static List<HttpCheckConfig> ReadHttpChecks(YamlConfigWalker walker, YamlNode node, string migration)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            walker.Error(node, migration, "checks.http", "expected a list of checks (each item starting with '- name: ...')");
            return [];
        }

        // An item that is not a mapping is reported once, here, rather than again as a check without a name or URL.
        return list.Children.Select((item, index) => ReadHttpCheck(walker, item, migration, index)).OfType<HttpCheckConfig>().ToList();
    }

    private static HttpCheckConfig? ReadHttpCheck(YamlConfigWalker walker, YamlNode node, string migration, int index)
    {
        var path = "checks.http." + HttpCheckLabel(node, index);
        if (!walker.IsMapping(node, migration, path, HttpCheckKeys))
        {
            return null;
        }

        var check = new HttpCheckConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in walker.Entries(node, migration, path, HttpCheckKeys))
        {
            var fullKey = path + "." + key;
            check = key switch
            {
                "name" => check with { Name = walker.Scalar(value, migration, fullKey) ?? string.Empty },
                "url" => check with { Url = walker.Scalar(value, migration, fullKey) },
                "expectStatus" => check with { ExpectStatus = walker.Number(value, migration, fullKey, "use an HTTP status code such as 200") },
                _ => check with { Timeout = walker.Scalar(value, migration, fullKey) },
            };
        }

        return check;
    }

    /// <summary>How errors name a custom check: its name, or "#N" (counting from 1) when it has none.</summary>
    private static string HttpCheckLabel(YamlNode node, int index) =>
        (node as YamlMappingNode)?.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "name" }).Value is YamlScalarNode { Value: { Length: > 0 } name }
            ? name
            : $"#{index + 1}";

    private static AdminTlsConfig ReadAdminTls(YamlConfigWalker walker, YamlNode node)
    {
        var tls = new AdminTlsConfig { Line = (int)node.Start.Line };
        foreach (var (key, value) in walker.Entries(node, null, "adminTls", AdminTlsKeys))
        {
            var text = walker.Scalar(value, null, "adminTls." + key);
            tls = key switch
            {
                "certificate" => tls with { Certificate = text },
                "key" => tls with { Key = text },
                "pfx" => tls with { Pfx = text },
                _ => tls with { Password = text },
            };
        }

        return tls;
    }

    private static NotificationsConfig ReadNotifications(YamlConfigWalker walker, YamlNode node)
    {
        var notifications = new NotificationsConfig();
        if (node is YamlScalarNode { Value: null or "" })
        {
            return notifications;
        }

        foreach (var (_, value) in walker.Entries(node, null, "notifications", NotificationKeys))
        {
            notifications = notifications with { Webhooks = ReadWebhooks(walker, value) };
        }

        return notifications;
    }

    private static List<WebhookConfig> ReadWebhooks(YamlConfigWalker walker, YamlNode node)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            walker.Error(node, null, "notifications.webhooks", "expected a list of webhooks (each item starting with '- url: ...')");
            return [];
        }

        return list.Children.Select((item, index) => ReadWebhook(walker, item, index)).ToList();
    }

    private static WebhookConfig ReadWebhook(YamlConfigWalker walker, YamlNode node, int index)
    {
        var path = $"notifications.webhooks[{index}]";
        var webhook = new WebhookConfig { Index = index, Line = (int)node.Start.Line };
        foreach (var (key, value) in walker.Entries(node, null, path, WebhookKeys))
        {
            var fullKey = path + "." + key;
            webhook = key switch
            {
                "url" => webhook with { Url = walker.Scalar(value, null, fullKey) },
                "format" => webhook with { Format = walker.Scalar(value, null, fullKey) },
                "events" => webhook with { Events = OptionalList(walker, () => walker.StringList(value, null, fullKey)) },
                "migrations" => webhook with { Migrations = OptionalList(walker, () => walker.StringList(value, null, fullKey)) },
                "headers" => webhook with { Headers = walker.StringMap(value, null, fullKey) },
                "timeout" => webhook with { Timeout = walker.Scalar(value, null, fullKey) },
                "allowPrivate" => webhook with { AllowPrivate = walker.Boolean(value, null, fullKey) },
                _ => webhook with { Retries = walker.Number(value, null, fullKey, "use a whole number of attempts after the first, e.g. 5") },
            };
        }

        return webhook;
    }

    // A list of the wrong shape is reported once, here: it counts as not given rather than as an empty list, which the validator would report again.
    private static List<T>? OptionalList<T>(YamlConfigWalker walker, Func<List<T>> read)
    {
        var before = walker.Errors.Count;
        var list = read();
        return walker.Errors.Count > before ? null : list;
    }
}
