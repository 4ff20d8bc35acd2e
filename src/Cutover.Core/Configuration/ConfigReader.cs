using Cutover.Core.State;
using Cutover.Core.Values;
using YamlDotNet.RepresentationModel;

namespace Cutover.Core.Configuration;

/// <summary>
/// Turns config YAML into a <see cref="CutoverConfig"/>, reporting shape problems (syntax, unknown
/// keys, wrong types) with their lines. Values are checked afterwards by <see cref="ConfigValidator"/>.
/// Each section's keys are one <see cref="SectionKeys{T}"/> table: the order of a table is the
/// order its "Allowed keys here" message lists.
/// </summary>
public static class ConfigReader
{
    // Nested sections come before the sections that read them: a static field is set in the order written.
    private static readonly SectionKeys<SniConfig> SniKeys = new(
        ("hosts", (s, v) => s with { Hosts = v.StringList() }),
        ("certificate", (s, v) => s with { Certificate = v.Scalar() }),
        ("key", (s, v) => s with { Key = v.Scalar() }),
        ("pfx", (s, v) => s with { Pfx = v.Scalar() }),
        ("password", (s, v) => s with { Password = v.Scalar() }));

    private static readonly SectionKeys<TlsConfig> TlsKeys = new(
        ("certificate", (t, v) => t with { Certificate = v.Scalar() }),
        ("key", (t, v) => t with { Key = v.Scalar() }),
        ("pfx", (t, v) => t with { Pfx = v.Scalar() }),
        ("password", (t, v) => t with { Password = v.Scalar() }),
        ("sni", (t, v) => t with { Sni = ReadSni(v) }),
        ("minVersion", (t, v) => t with { MinVersion = v.Scalar() }));

    private static readonly SectionKeys<BackendTlsConfig> BackendTlsKeys = new(
        ("ca", (t, v) => t with { Ca = v.Scalar() }),
        ("clientCertificate", (t, v) => t with { ClientCertificate = v.Scalar() }),
        ("clientKey", (t, v) => t with { ClientKey = v.Scalar() }),
        ("pfx", (t, v) => t with { Pfx = v.Scalar() }),
        ("password", (t, v) => t with { Password = v.Scalar() }),
        ("insecureSkipVerify", (t, v) => t with { InsecureSkipVerify = v.Boolean() }));

    private static readonly SectionKeys<BackendConfig> BackendKeys = new(
        ("url", (b, v) => b with { Url = v.Scalar() }),
        ("protocol", (b, v) => b with { Protocol = v.Scalar() }),
        ("tls", (b, v) => b with { Tls = v.Read(BackendTlsKeys, new BackendTlsConfig { Line = v.Line }) }));

    private static readonly SectionKeys<MatchConfig> MatchKeys = new(
        ("pathPrefix", (m, v) => m with { PathPrefix = v.Scalar() }),
        ("host", (m, v) => m with { Host = v.Scalar() }),
        ("grpc", (m, v) => m with { Grpc = v.Scalar() }),
        ("methods", (m, v) => m with { Methods = v.StringList() }),
        ("headers", (m, v) => m with { Headers = v.StringMap() }));

    private static readonly SectionKeys<TimeoutsConfig> TimeoutKeys = new(
        ("legacy", (t, v) => t with { Legacy = v.Scalar() }),
        ("candidate", (t, v) => t with { Candidate = v.Scalar() }));

    private static readonly SectionKeys<RedactConfig> RedactKeys = new(
        ("headers", (r, v) => r with { Headers = v.StringList() }),
        ("fields", (r, v) => r with { Fields = v.StringList() }));

    private static readonly SectionKeys<ShadowConfig> ShadowKeys = new(
        ("percent", (s, v) => s with { Percent = v.Number("use a percentage between 0 and 100") }),
        ("methods", (s, v) => s with { Methods = v.StringList() }),
        ("maxBodyBytes", (s, v) => s with { MaxBodyBytes = v.Number("use a number of bytes, e.g. 1048576") }),
        ("maxResponseBytes", (s, v) => s with { MaxResponseBytes = v.Number("use a number of bytes, e.g. 4194304") }),
        ("timeout", (s, v) => s with { Timeout = v.Scalar() }),
        ("noiseProbe", (s, v) => s with { NoiseProbe = v.Boolean() }),
        ("alsoInCanary", (s, v) => s with { AlsoInCanary = v.Boolean() }),
        ("concurrency", (s, v) => s with { Concurrency = v.Number("use a whole number of concurrent copies, e.g. 32") }),
        ("queueSize", (s, v) => s with { QueueSize = v.Number("use a whole number of waiting copies, e.g. 1000") }),
        ("maxQueuedBytes", (s, v) => s with { MaxQueuedBytes = v.Number("use a number of bytes, e.g. 67108864") }),
        ("redact", (s, v) => s with { Redact = v.Read(RedactKeys, new RedactConfig()) }));

    private static readonly SectionKeys<CompareConfig> CompareKeys = new(
        ("ignore", (c, v) => c with { Ignore = v.StringList() }),
        ("headers", (c, v) => c with { Headers = v.StringList() }),
        ("numericTolerance", (c, v) => c with { NumericTolerance = v.Number("use a non-negative number, e.g. 0.001") }),
        ("unorderedArrays", (c, v) => c with { UnorderedArrays = v.StringList() }),
        ("normalizeWhitespace", (c, v) => c with { NormalizeWhitespace = v.Boolean() }),
        ("descriptorSet", (c, v) => c with { DescriptorSet = v.Scalar() }));

    private static readonly SectionKeys<HealthChecksConfig> HealthKeys = new(
        ("legacy", (h, v) => h with { Legacy = v.Scalar() }),
        ("candidate", (h, v) => h with { Candidate = v.Scalar() }));

    private static readonly SectionKeys<HttpCheckConfig> HttpCheckKeys = new(
        ("name", (c, v) => c with { Name = v.Scalar() ?? string.Empty }),
        ("url", (c, v) => c with { Url = v.Scalar() }),
        ("expectStatus", (c, v) => c with { ExpectStatus = v.Number("use an HTTP status code such as 200") }),
        ("timeout", (c, v) => c with { Timeout = v.Scalar() }));

    private static readonly SectionKeys<ChecksConfig> ChecksKeys = new(
        ("health", (c, v) => c with { Health = v.Read(HealthKeys, new HealthChecksConfig()) }),
        ("timeout", (c, v) => c with { Timeout = v.Scalar() }),
        ("http", (c, v) => c with { Http = ReadHttpChecks(v) }));

    private static readonly SectionKeys<ErrorsConfig> ErrorsKeys = new(
        ("statuses", (e, v) => e with { Statuses = OptionalList(v.Walker, () => v.LinedList().ConvertAll(item => new ErrorStatusConfig(item.Text, item.Line))) }),
        ("grpcStatuses", (e, v) => e with { GrpcStatuses = OptionalList(v.Walker, () => v.LinedList().ConvertAll(item => new ErrorStatusConfig(item.Text, item.Line))) }),
        ("connectionFailures", (e, v) => e with { ConnectionFailures = v.Boolean() }),
        ("timeouts", (e, v) => e with { Timeouts = v.Boolean() }),
        ("unansweredAfter", (e, v) => e with { UnansweredAfter = v.Scalar() }));

    private static readonly SectionKeys<OverrideConfig> OverrideKeys = new(
        ("header", (o, v) => o with { Header = v.Scalar() }),
        ("cookie", (o, v) => o with { Cookie = v.Scalar() }),
        ("networks", (o, v) => o with { Networks = OptionalList(v.Walker, () => v.LinedList().ConvertAll(item => new TrustedProxyConfig(item.Text, item.Line))) }),
        ("secret", (o, v) => o with { Secret = v.Scalar() }));

    private static readonly SectionKeys<FailoverConfig> FailoverKeys = new(
        ("statuses", (f, v) => f with { Statuses = OptionalList(v.Walker, () => v.LinedList().ConvertAll(item => new ErrorStatusConfig(item.Text, item.Line))) }),
        ("grpcUnavailable", (f, v) => f with { GrpcUnavailable = v.Boolean() }),
        ("maxBodyBytes", (f, v) => f with { MaxBodyBytes = v.Number("use a number of bytes, e.g. 65536") }));

    private static readonly SectionKeys<PlanStepConfig> ShadowStepKeys = new(
        ("duration", ReadStepDuration),
        ("minRequests", (s, v) => s with { MinRequests = v.Number("use a whole number of compared requests, e.g. 1000") }));

    private static readonly SectionKeys<PlanStepConfig> PauseStepKeys = new(
        ("duration", ReadStepDuration));

    private static readonly SectionKeys<PlanStepConfig> SmokeStepKeys = new(
        ("requests", (s, v) => s with { Requests = v.Number("use a whole number of requests, e.g. 20") }),
        ("path", (s, v) => s with { Path = v.Scalar() }),
        ("grpc", (s, v) => s with { Grpc = v.Scalar() }));

    private static readonly SectionKeys<PlanStepConfig> BackfillStepKeys = new(
        ("file", (s, v) => s with { File = v.Scalar() }),
        ("job", (s, v) => s with { Job = v.Scalar() }),
        ("stallAfter", (s, v) => s with { StallAfter = v.Scalar() }),
        ("catchUp", (s, v) => s with { CatchUp = v.Scalar() }));

    private static readonly SectionKeys<PlanStepConfig> PointOfNoReturnKeys = new(
        ("note", (s, v) => s with { Note = v.Scalar() }));

    private static readonly SectionKeys<PlanWindowConfig> WindowKeys = new(
        ("days", (w, v) => w with { Days = v.StringList() }),
        ("hours", (w, v) => w with { Hours = v.Scalar() }),
        ("timeZone", (w, v) => w with { TimeZone = v.Scalar() }));

    // A step is a mapping of exactly one kind to its values; the kind is the key.
    private static readonly SectionKeys<PlanStepConfig> StepKinds = new(
        ("shadow", (s, v) => ReadStepValues(v, s, ShadowStepKeys)),
        ("weight", (s, v) => s with { Weight = v.Number("use the percentage of users to send to the candidate, e.g. 25") }),
        ("pause", (s, v) => ReadStepValues(v, s, PauseStepKeys)),
        ("smoke", (s, v) => ReadStepValues(v, s, SmokeStepKeys)),
        ("backfill", (s, v) => ReadStepValues(v, s, BackfillStepKeys)),
        ("pointOfNoReturn", (s, v) => ReadStepValues(v, s, PointOfNoReturnKeys)),
        ("retire", ReadEmptyStep));

    // Beside its kind a step may hold its own progress deadline: '- weight: 50' then 'progressDeadline: 2h'.
    private const string StepDeadlineKey = "progressDeadline";

    private static readonly IReadOnlyList<string> StepKeys = [.. StepKinds.Names, StepDeadlineKey];

    private static readonly SectionKeys<PlanConfig> PlanKeys = new(
        ("steps", (p, v) => p with { Steps = ReadSteps(v) }),
        ("gates", (p, v) => p with { Gates = v.StringList() }),
        ("triggers", (p, v) => p with { Triggers = v.StringList() }),
        ("minSamples", (p, v) => p with { MinSamples = v.Number("use a whole number of requests per side, e.g. 200") }),
        ("inconclusiveAfter", (p, v) => p with { InconclusiveAfter = v.Scalar() }),
        ("drainTimeout", (p, v) => p with { DrainTimeout = v.Scalar() }),
        ("window", (p, v) => p with { Window = v.Read(WindowKeys, new PlanWindowConfig { Line = v.Line }) }),
        ("progressDeadline", (p, v) => p with { ProgressDeadline = v.Scalar() }));

    private static readonly SectionKeys<MigrationConfig> MigrationKeys = new(
        ("name", (m, v) => m with { Name = v.Scalar() ?? string.Empty }),
        ("kind", (m, v) => m with { Kind = v.Scalar() }),
        ("match", (m, v) => m with { Match = v.Read(MatchKeys, new MatchConfig()) }),
        ("legacy", (m, v) => m with { Legacy = ReadBackend(v) }),
        ("candidate", (m, v) => m with { Candidate = ReadBackend(v) }),
        ("mode", (m, v) => m with { Mode = v.Scalar() }),
        ("weight", (m, v) => m with { Weight = v.Number("use a percentage between 0 and 100") }),
        ("stickyBy", (m, v) => m with { StickyBy = v.Scalar() }),
        ("timeouts", (m, v) => m with { Timeouts = v.Read(TimeoutKeys, new TimeoutsConfig()) }),
        ("shadow", (m, v) => m with { Shadow = v.Read(ShadowKeys, new ShadowConfig { Line = v.Line }) }),
        ("compare", (m, v) => m with { Compare = v.Read(CompareKeys, new CompareConfig { Line = v.Line }) }),
        ("checks", (m, v) => m with { Checks = v.Read(ChecksKeys, new ChecksConfig { Line = v.Line }) }),
        ("plan", (m, v) => m with { Plan = v.Read(PlanKeys, new PlanConfig { Line = v.Line }) }),
        ("errors", (m, v) => m with { Errors = v.Read(ErrorsKeys, new ErrorsConfig { Line = v.Line }) }),
        ("sideHeader", (m, v) => m with { SideHeader = v.Boolean() }),
        ("override", (m, v) => m with { Override = v.Read(OverrideKeys, new OverrideConfig { Line = v.Line }) }),
        ("failover", (m, v) => m with { Failover = ReadFailover(v) }),
        ("group", (m, v) => m with { Group = v.Scalar() }),
        ("priority", (m, v) => m with { Priority = v.Scalar() }));

    private static readonly SectionKeys<WebhookConfig> WebhookKeys = new(
        ("url", (w, v) => w with { Url = v.Scalar() }),
        ("format", (w, v) => w with { Format = v.Scalar() }),
        ("events", (w, v) => w with { Events = OptionalList(v.Walker, v.StringList) }),
        ("migrations", (w, v) => w with { Migrations = OptionalList(v.Walker, v.StringList) }),
        ("headers", (w, v) => w with { Headers = v.StringMap() }),
        ("timeout", (w, v) => w with { Timeout = v.Scalar() }),
        ("retries", (w, v) => w with { Retries = v.Number("use a whole number of attempts after the first, e.g. 5") }),
        ("allowPrivate", (w, v) => w with { AllowPrivate = v.Boolean() }));

    private static readonly SectionKeys<NotificationsConfig> NotificationKeys = new(
        ("webhooks", (n, v) => n with { Webhooks = ReadWebhooks(v) }));

    private static readonly SectionKeys<TelemetryConfig> TelemetryKeys = new(
        ("otlp", (t, v) => t with { Otlp = v.Scalar() }));

    private static readonly SectionKeys<CutoverConfig> FileKeys = new(
        ("listen", (c, v) => c with { Listen = v.Scalar() ?? c.Listen }),
        ("listenProtocol", (c, v) => c with { ListenProtocol = v.Scalar() }),
        ("tls", (c, v) => c with { Tls = v.Read(TlsKeys, new TlsConfig { Line = v.Line }) }),
        ("admin", (c, v) => c with { Admin = v.Scalar() ?? c.Admin }),
        ("adminProtocol", (c, v) => c with { AdminProtocol = v.Scalar() }),
        ("adminAuth", (c, v) => c with { AdminAuth = v.Scalar() }),
        ("adminTls", (c, v) => c with { AdminTls = v.Read(TlsKeys, new TlsConfig { Line = v.Line }) }),
        ("store", (c, v) => c with { Store = v.Scalar() ?? c.Store }),
        ("fallback", (c, v) => c with { Fallback = ReadBackend(v) }),
        ("trustedProxies", (c, v) => c with { TrustedProxies = v.LinedList().ConvertAll(item => new TrustedProxyConfig(item.Text, item.Line)) }),
        ("migrations", (c, v) => c with { Migrations = ReadMigrations(v) }),
        ("lockstep", (c, v) => c with { Lockstep = v.LinedList().ConvertAll(item => new LockstepConfig(item.Text, item.Line)) }),
        ("notifications", (c, v) => c with { Notifications = v.IsEmpty ? new NotificationsConfig() : v.Read(NotificationKeys, new NotificationsConfig()) }),
        ("telemetry", (c, v) => c with { Telemetry = v.Read(TelemetryKeys, new TelemetryConfig { Line = v.Line }) }));

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

        var config = FileKeys.Read(walker, root, null, string.Empty, new CutoverConfig { Source = source });
        return (config, walker.Errors);
    }

    private static List<MigrationConfig> ReadMigrations(YamlEntry entry)
    {
        if (entry.IsEmpty)
        {
            return [];
        }

        if (entry.Node is not YamlSequenceNode list)
        {
            entry.Walker.Error(entry.Node, null, "migrations", "expected a list of migrations (each item starting with '- name: ...')");
            return [];
        }

        return list.Children
            .Select((item, index) => MigrationKeys.Read(entry.Walker, item, ItemLabel(item, index), string.Empty, new MigrationConfig { Line = (int)item.Start.Line }))
            .ToList();
    }

    /// <summary>How errors name a migration or a custom check: its name, or "#N" (counting from 1) when it has none.</summary>
    private static string ItemLabel(YamlNode node, int index) =>
        (node as YamlMappingNode)?.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "name" }).Value is YamlScalarNode { Value: { Length: > 0 } name }
            ? name
            : $"#{index + 1}";

    // A backend is its URL alone, or a mapping with the URL and how to speak to it; written with no value, it is not given.
    private static BackendConfig? ReadBackend(YamlEntry entry)
    {
        switch (entry.Node)
        {
            case YamlScalarNode when entry.IsEmpty:
                return null;
            case YamlScalarNode:
                return new BackendConfig { Url = entry.Scalar(), Line = entry.Line };
            case YamlMappingNode:
                return entry.Read(BackendKeys, new BackendConfig { Line = entry.Line });
            default:
                entry.Walker.Error(entry.Node, entry.Migration, entry.Key, $"expected the backend's URL, or a mapping of keys ({string.Join(", ", BackendKeys.Names)}), found a list");
                return new BackendConfig { Line = entry.Line, Misshapen = true };
        }
    }

    private static List<PlanStepConfig> ReadSteps(YamlEntry entry)
    {
        var (walker, node, migration) = (entry.Walker, entry.Node, entry.Migration);
        if (node is not YamlSequenceNode list)
        {
            walker.Error(node, migration, "plan.steps", "expected a list of steps, each one of '- shadow: {duration: 10m}', '- weight: 5', '- pause: {duration: 5m}', '- pause: {}', '- smoke: {requests: 20}', '- pointOfNoReturn: {note: ...}', '- retire: {}'");

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

            var entries = walker.Entries(item, migration, key, StepKeys).ToList();
            var deadline = entries.Where(e => e.Key == StepDeadlineKey).Select(e => walker.Scalar(e.Value, migration, $"{key}.{StepDeadlineKey}")).FirstOrDefault();
            entries.RemoveAll(e => e.Key == StepDeadlineKey);
            if (entries.Count != 1)
            {
                var kinds = item is YamlMappingNode map ? map.Children.Keys.Count(k => k is not YamlScalarNode { Value: StepDeadlineKey }) : 1;
                if (kinds != 1)
                {
                    walker.Error(item, migration, key, $"a step has exactly one kind, found {kinds}; write each step as its own list item (- weight: 5)");
                }

                // Kept without a kind (already reported), so the plan is not also reported as having no steps.
                steps.Add(new PlanStepConfig { Line = (int)item.Start.Line });
                continue;
            }

            var (kind, value) = entries[0];
            var step = new PlanStepConfig { Kind = kind, Line = (int)item.Start.Line, ProgressDeadline = deadline };
            steps.Add(StepKinds.Read(kind, step, new YamlEntry(walker, value, migration, $"{key}.{kind}")));
        }

        return steps;
    }

    // failover: true and failover: false are the short forms; a mapping turns it on with its keys.
    private static FailoverConfig? ReadFailover(YamlEntry entry)
    {
        if (entry.Node is YamlMappingNode)
        {
            return entry.Read(FailoverKeys, new FailoverConfig { Line = entry.Line });
        }

        if (entry.Node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var enabled))
        {
            return new FailoverConfig { Enabled = enabled, Line = entry.Line };
        }

        entry.Walker.Error(entry.Node, entry.Migration, entry.Key,
            $"expected true, false or a mapping of keys ({string.Join(", ", FailoverKeys.Names)}); write 'failover: true' for the defaults");
        return null;
    }

    private static PlanStepConfig ReadEmptyStep(PlanStepConfig step, YamlEntry entry)
    {
        if (entry.Node is not (YamlMappingNode { Children.Count: 0 } or YamlScalarNode { Value: null or "" }))
        {
            entry.Walker.Error(entry.Node, entry.Migration, entry.Key, "takes no values; write '- retire: {}'");
        }

        return step;
    }

    // '- pause:' with nothing after it is a step with no values, not a step of the wrong shape.
    private static PlanStepConfig ReadStepValues(YamlEntry entry, PlanStepConfig step, SectionKeys<PlanStepConfig> keys) =>
        entry.IsEmpty ? step : entry.Read(keys, step);

    private static PlanStepConfig ReadStepDuration(PlanStepConfig step, YamlEntry entry) => step with { Duration = entry.Scalar() };

    private static List<SniConfig> ReadSni(YamlEntry entry)
    {
        if (entry.IsEmpty)
        {
            return [];
        }

        if (entry.Node is not YamlSequenceNode list)
        {
            entry.Walker.Error(entry.Node, null, entry.Key, "expected a list of certificates (each item starting with '- hosts: [...]')");
            return [];
        }

        return list.Children
            .Select((item, index) => (Item: item, Path: $"{entry.Key}[{index + 1}]"))
            .Where(x => entry.Walker.IsMapping(x.Item, null, x.Path, SniKeys.Names))
            .Select(x => SniKeys.Read(entry.Walker, x.Item, null, x.Path, new SniConfig { Line = (int)x.Item.Start.Line }))
            .ToList();
    }

    private static List<HttpCheckConfig> ReadHttpChecks(YamlEntry entry)
    {
        if (entry.IsEmpty)
        {
            return [];
        }

        if (entry.Node is not YamlSequenceNode list)
        {
            entry.Walker.Error(entry.Node, entry.Migration, "checks.http", "expected a list of checks (each item starting with '- name: ...')");
            return [];
        }

        // An item that is not a mapping is reported once, here, rather than again as a check without a name or URL.
        return list.Children.Select((item, index) => ReadHttpCheck(entry, item, index)).OfType<HttpCheckConfig>().ToList();
    }

    private static HttpCheckConfig? ReadHttpCheck(YamlEntry list, YamlNode node, int index)
    {
        var path = "checks.http." + ItemLabel(node, index);
        return list.Walker.IsMapping(node, list.Migration, path, HttpCheckKeys.Names)
            ? HttpCheckKeys.Read(list.Walker, node, list.Migration, path, new HttpCheckConfig { Line = (int)node.Start.Line })
            : null;
    }

    private static List<WebhookConfig> ReadWebhooks(YamlEntry entry)
    {
        if (entry.IsEmpty)
        {
            return [];
        }

        if (entry.Node is not YamlSequenceNode list)
        {
            entry.Walker.Error(entry.Node, null, "notifications.webhooks", "expected a list of webhooks (each item starting with '- url: ...')");
            return [];
        }

        return list.Children
            .Select((item, index) => WebhookKeys.Read(entry.Walker, item, null, $"notifications.webhooks[{index}]", new WebhookConfig { Index = index, Line = (int)item.Start.Line }))
            .ToList();
    }

    // A list of the wrong shape is reported once, here: it counts as not given rather than as an empty list, which the validator would report again.
    private static List<T>? OptionalList<T>(YamlConfigWalker walker, Func<List<T>> read)
    {
        var before = walker.Errors.Count;
        var list = read();
        return walker.Errors.Count > before ? null : list;
    }
}
