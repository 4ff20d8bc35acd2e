using Cutover.Core.Comparison;
using Cutover.Core.Configuration;
using Cutover.Core.Routing;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Configuration;

public class ConfigLoaderTests
{
    private const string Valid = """
        listen: http://127.0.0.1:8080
        admin: http://127.0.0.1:8081
        store: sqlite:cutover.db
        fallback: http://127.0.0.1:9000
        migrations:
          - name: orders
            match: { pathPrefix: /orders, methods: [get, POST] }
            legacy: http://127.0.0.1:9001
            candidate: http://127.0.0.1:9002/v2
            mode: canary
            weight: 12.5
            stickyBy: header:X-User-Id
            timeouts: { legacy: 30s, candidate: 1500ms }
          - name: users
            match: { host: api.example.com, pathPrefix: /users, headers: { X-Tenant: acme } }
            legacy: http://127.0.0.1:9003
            candidate: https://users.internal:8443
        """;

    [Fact]
    public void Load_ValidFile_ParsesEveryKey()
    {
        var definition = ConfigLoader.Load(Valid, "cutover.yaml");

        Assert.Equal(new Uri("http://127.0.0.1:8080"), definition.Listen);
        Assert.Equal("sqlite:cutover.db", definition.Store);
        Assert.Equal(new Uri("http://127.0.0.1:9000"), definition.Fallback);
        var orders = definition.Migrations[0];
        Assert.Equal("orders", orders.Name);
        Assert.Equal(MigrationMode.Canary, orders.InitialMode);
        Assert.Equal(12.5, orders.InitialWeight);
        Assert.Equal(["GET", "POST"], orders.Match.Methods);
        Assert.Equal(new StickyKeySource(StickyKeyKind.Header, "X-User-Id"), orders.StickyBy);
        Assert.Equal(TimeSpan.FromSeconds(30), orders.LegacyTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), orders.CandidateTimeout);
        Assert.Equal("http://127.0.0.1:9002/v2", orders.Candidate.AbsoluteUri);
        var users = definition.Migrations[1];
        Assert.Equal("api.example.com", users.Match.Host);
        Assert.Equal(MigrationMode.Legacy, users.InitialMode);
        Assert.Equal(0, users.InitialWeight.Percent);
        Assert.Equal(StickyKeySource.Default, users.StickyBy);
        Assert.Equal((TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(10)), (users.LegacyTimeout, users.CandidateTimeout));
        Assert.Equal("acme", Assert.Single(users.Match.Headers).Value);
    }

    [Fact]
    public void Load_ShadowAndCompareSections_ParseEveryKey()
    {
        var definition = ConfigLoader.Load("""
            migrations:
              - name: orders
                match: { pathPrefix: /orders }
                legacy: http://127.0.0.1:9001
                candidate: http://127.0.0.1:9002
                mode: shadow
                shadow:
                  percent: 25
                  methods: [get, POST]
                  maxBodyBytes: 2048
                  maxResponseBytes: 65536
                  timeout: 2s
                  noiseProbe: true
                  alsoInCanary: true
                  concurrency: 4
                  queueSize: 50
                  maxQueuedBytes: 8388608
                  redact: { headers: [X-Api-Key], fields: [password, "$.card.number"] }
                compare:
                  ignore: ["$.requestId", "$.items[*].updatedAt"]
                  headers: [Content-Type, ETag]
                  numericTolerance: 0.01
                  unorderedArrays: ["$.tags"]
                  normalizeWhitespace: true
            """, "c.yaml");

        var orders = Assert.Single(definition.Migrations);
        Assert.Equal(MigrationMode.Shadow, orders.InitialMode);
        var shadow = orders.Shadow;
        Assert.Equal(25, shadow.Percent);
        Assert.Equal(["GET", "POST"], shadow.Methods.Order());
        Assert.Equal(2048, shadow.MaxBodyBytes);
        Assert.Equal(65536, shadow.MaxResponseBytes);
        Assert.Equal(TimeSpan.FromSeconds(2), shadow.Timeout);
        Assert.True(shadow.NoiseProbe);
        Assert.True(shadow.AlsoInCanary);
        Assert.Equal(4, shadow.Concurrency);
        Assert.Equal(50, shadow.QueueSize);
        Assert.Equal(8388608, shadow.MaxQueuedBytes);
        Assert.True(shadow.Redaction.IsSensitiveHeader("x-api-key"));
        Assert.True(shadow.Redaction.IsSensitiveHeader("Authorization"));
        Assert.Equal(["$.requestId", "$.items[*].updatedAt"], orders.Compare.Json.Ignore.Select(p => p.Text));
        Assert.Equal(["Content-Type", "ETag"], orders.Compare.Headers);
        Assert.Equal(0.01, orders.Compare.Json.NumericTolerance);
        Assert.Equal("$.tags", Assert.Single(orders.Compare.Json.UnorderedArrays).Text);
        Assert.True(orders.Compare.NormalizeWhitespace);
    }

    [Fact]
    public void Load_NoShadowSection_MirrorsOnlySafeMethodsWithinDefaultLimits()
    {
        var orders = Assert.Single(ConfigLoader.Load("""
            migrations:
              - { name: orders, match: { pathPrefix: / }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2", mode: shadow }
            """, "c.yaml").Migrations);

        Assert.Equal(["GET", "HEAD", "OPTIONS"], orders.Shadow.Methods.Order());
        Assert.Equal(100, orders.Shadow.Percent);
        Assert.Equal(1024 * 1024, orders.Shadow.MaxBodyBytes);
        Assert.Equal(64 * 1024 * 1024, orders.Shadow.MaxQueuedBytes);
        Assert.False(orders.Shadow.NoiseProbe);
        Assert.Equal(ResponseRules.Default, orders.Compare);
    }

    [Fact]
    public void Load_ResponseLimitPastTheDefaultQueuedBytes_QueueHoldsAtLeastOneFullCopy()
    {
        var orders = Assert.Single(ConfigLoader.Load("""
            migrations:
              - { name: orders, match: { pathPrefix: / }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2", mode: shadow, shadow: { maxResponseBytes: 134217728 } }
            """, "c.yaml").Migrations);

        Assert.Equal(134217728 + 1024 * 1024, orders.Shadow.MaxQueuedBytes);
    }

    [Fact]
    public void Load_OnlyMigrations_UsesLoopbackDefaults()
    {
        var definition = ConfigLoader.Load("""
            migrations:
              - name: a
                match: { pathPrefix: / }
                legacy: http://127.0.0.1:1
                candidate: http://127.0.0.1:2
            """, "c.yaml");

        Assert.Equal(new Uri(CutoverConfig.DefaultListen), definition.Listen);
        Assert.Equal(new Uri(CutoverConfig.DefaultAdmin), definition.Admin);
        Assert.Equal(CutoverConfig.DefaultStore, definition.Store);
        Assert.Null(definition.Fallback);
    }

    [Theory]
    [InlineData("mode: blue", "migration 'orders': mode: 'blue' is not a mode; use legacy, shadow, canary, candidate or retired")]
    [InlineData("weight: 150", "migration 'orders': weight: 150 is outside 0..100; use the percentage of users to send to the candidate, between 0 and 100")]
    [InlineData("weight: -1", "migration 'orders': weight: -1 is outside 0..100")]
    [InlineData("weight: lots", "migration 'orders': weight: 'lots' is not a number; use a percentage between 0 and 100")]
    [InlineData("stickyBy: user", "migration 'orders': stickyBy: 'user' is not a sticky key; use header:NAME, cookie:NAME, query:NAME or client-ip")]
    [InlineData("stickyBy: 'header:'", "migration 'orders': stickyBy: 'header:' is not a sticky key")]
    [InlineData("timeouts: { legacy: soon }", "migration 'orders': timeouts.legacy: 'soon' is not a positive duration; use a number with a unit: ms, s, m or h")]
    [InlineData("timeouts: { candidate: 0s }", "migration 'orders': timeouts.candidate: '0s' is not a positive duration")]
    [InlineData("wieght: 5", "migration 'orders': wieght: unknown key; did you mean 'weight'? Allowed keys here: name, kind, match")]
    [InlineData("plan: { steps: [] }", "migration 'orders': plan.steps: the plan has no steps; list them in order")]
    [InlineData("plan: { steps: [ { weight: 25 }, { weight: 5 } ] }", "migration 'orders': plan.steps[2].weight: weights must increase, but 5 follows 25")]
    [InlineData("plan: { steps: [ { weight: 150 } ] }", "migration 'orders': plan.steps[1].weight: 150 is outside 0..100 (0 excluded)")]
    [InlineData("plan: { steps: [ { pause: { duration: soon } } ] }", "migration 'orders': plan.steps[1].pause: duration 'soon' is not a positive duration; use a number with a unit")]
    [InlineData("plan: { steps: [ { shadow: {} } ] }", "migration 'orders': plan.steps[1].shadow: needs a duration: how long to shadow for")]
    [InlineData("plan: { steps: [ { weight: 5 }, { shadow: { duration: 5m } } ] }", "migration 'orders': plan.steps[2].shadow: comes after a weight step")]
    [InlineData("plan: { steps: [ { weight: 50 }, { retire: {} } ] }", "migration 'orders': plan.steps[2].retire: comes before all traffic is on the candidate; add '- weight: 100'")]
    [InlineData("plan: { steps: [ { weight: 100 }, { retire: {} }, { pause: {} } ] }", "migration 'orders': plan.steps[2].retire: is not the last step")]
    [InlineData("plan: { steps: [ { wait: 5m } ] }", "migration 'orders': plan.steps[1].wait: unknown key")]
    [InlineData("plan: { steps: [ { weight: 5, pause: {} } ] }", "migration 'orders': plan.steps[1]: a step has exactly one kind, found 2")]
    [InlineData("plan: { steps: [ { smoke: { requests: 0 } } ] }", "migration 'orders': plan.steps[1].smoke: 0 is not a whole number in 1..10000")]
    [InlineData("plan: { steps: [ { weight: 5 } ], gates: ['candidate.p98 < 10'] }", "migration 'orders': plan.gates: 'candidate.p98 < 10': unknown metric 'candidate.p98'")]
    [InlineData("plan: { steps: [ { weight: 5 } ], gates: ['candidate.errorRate < 0.01 for 1m'] }", "migration 'orders': plan.gates: 'candidate.errorRate < 0.01 for 1m': a gate is checked once")]
    [InlineData("plan: { steps: [ { weight: 5 } ], gates: ['healthScore > 1'] }", "migration 'orders': plan.gates: 'healthScore > 1' can never be met: healthScore lies between 0 and 1, so the plan could never leave a step")]
    [InlineData("plan: { steps: [ { weight: 5 } ], triggers: ['candidate.errorRate > 2 for 1m'] }", "migration 'orders': plan.triggers: 'candidate.errorRate > 2' can never be met: candidate.errorRate lies between 0 and 1, so the trigger would never fire")]
    [InlineData("plan: { steps: [ { weight: 5 } ], triggers: ['candidate.errorRate > 0.05 for 5x'] }", "migration 'orders': plan.triggers: 'candidate.errorRate > 0.05 for 5x': '5x' after 'for' is not a duration")]
    [InlineData("plan: { steps: [ { weight: 5 } ], minSamples: 0 }", "migration 'orders': plan.minSamples: 0 is not a whole number in 1..1000000000")]
    [InlineData("plan: { steps: [ { weight: 5 } ], inconclusiveAfter: never }", "migration 'orders': plan.inconclusiveAfter: 'never' is not a positive duration")]
    [InlineData("plan: { steps: [ { smoke: { path: health } } ] }", "migration 'orders': plan.steps[1].smoke: path 'health' does not start with '/'")]
    [InlineData("plan: { steps: [ { smoke: { grpc: shop.v1.Orders } } ] }", "migration 'orders': plan.steps[1].smoke: grpc 'shop.v1.Orders' is not a gRPC method; write the service's full name and a unary method taking an empty request, e.g. grpc.health.v1.Health/Check")]
    [InlineData("plan: { steps: [ { smoke: { grpc: shop.v1.Orders/GetOrder, path: /health } } ] }", "migration 'orders': plan.steps[1].smoke: gives both path '/health' and grpc 'shop.v1.Orders/GetOrder'; keep path for a GET or grpc for a gRPC call")]
    [InlineData("plan: { steps: [ { backfill: { file: no-such-job.yaml } } ] }", "migration 'orders': plan.steps[1].backfill: file 'no-such-job.yaml' does not exist (looked for ")]
    [InlineData("plan: { steps: [ { backfill: { file: job.yaml, job: customers } } ] }", "migration 'orders': plan.steps[1].backfill: give either 'file' (a job file, relative to the config file) or 'job' (a job stored by `cutover backfill run`), not both")]
    [InlineData("plan: { steps: [ { backfill: { job: customers, stallAfter: never } } ] }", "migration 'orders': plan.steps[1].backfill: stallAfter 'never' is not a positive duration")]
    [InlineData("plan: { steps: [ { backfill: { job: customers, catchUp: often } } ] }", "migration 'orders': plan.steps[1].backfill: catchUp 'often' is not a positive duration")]
    [InlineData("plan: { steps: [ { backfill: {} } ] }", "migration 'orders': plan.steps[1].backfill: give either 'file'")]
    [InlineData("plan: { steps: [ { weight: 5 } ], drainTimeout: 0s }", "migration 'orders': plan.drainTimeout: '0s' is not a positive duration")]
    [InlineData("plan: { steps: { weight: 5 } }", "migration 'orders': plan.steps: expected a list of steps")]
    [InlineData("plan: { steps: [ { weight: 100 }, { retire: { now: true } } ] }", "migration 'orders': plan.steps[2].retire: takes no values")]
    [InlineData("plan: { steps: [ { weight: 5 } ], gate: [] }", "migration 'orders': plan.gate: unknown key; did you mean 'gates'?")]
    [InlineData("shadow: { percent: 150 }", "migration 'orders': shadow.percent: 150 is outside 0..100; use the percentage of eligible requests to mirror")]
    [InlineData("shadow: { percnt: 5 }", "migration 'orders': shadow.percnt: unknown key; did you mean 'percent'?")]
    [InlineData("shadow: { methods: [G3T] }", "migration 'orders': shadow.methods: 'G3T' is not an HTTP method")]
    [InlineData("shadow: { maxBodyBytes: 1.5 }", "migration 'orders': shadow.maxBodyBytes: 1.5 is not a whole number in 0..268435456; give the number of bytes of request body buffered for a copy")]
    [InlineData("shadow: { maxResponseBytes: 10 }", "migration 'orders': shadow.maxResponseBytes: 10 is not a whole number in 1024..268435456")]
    [InlineData("shadow: { timeout: soon }", "migration 'orders': shadow.timeout: 'soon' is not a positive duration")]
    [InlineData("shadow: { concurrency: 0 }", "migration 'orders': shadow.concurrency: 0 is not a whole number in 1..1024")]
    [InlineData("shadow: { queueSize: many }", "migration 'orders': shadow.queueSize: 'many' is not a number")]
    [InlineData("shadow: { maxQueuedBytes: 1000 }", "migration 'orders': shadow.maxQueuedBytes: 1000 is not a whole number in 1048576..68719476736; give the number of bytes the queued copies may hold")]
    [InlineData("shadow: { maxQueuedBytes: 2097152 }", "migration 'orders': shadow.maxQueuedBytes: 2097152 is less than one copy may hold (maxBodyBytes 1048576 + maxResponseBytes 4194304 = 5242880); raise it, or lower those limits")]
    [InlineData("shadow: { noiseProbe: maybe }", "migration 'orders': shadow.noiseProbe: 'maybe' is not true or false")]
    [InlineData("shadow: { redact: { headers: ['X Key'] } }", "migration 'orders': shadow.redact.headers: 'X Key' is not a header name")]
    [InlineData("shadow: { redact: { fields: ['$.card['] } }", "migration 'orders': shadow.redact.fields: '$.card[' is not a JSON path: the '[' at position 6 is never closed")]
    [InlineData("shadow: [percent]", "migration 'orders': shadow: expected a mapping of keys (percent, methods")]
    [InlineData("compare: { ignore: ['$.items['] }", "migration 'orders': compare.ignore: '$.items[' is not a JSON path: the '[' at position 7 is never closed; use a path starting with $")]
    [InlineData("compare: { unorderedArrays: [tags] }", "migration 'orders': compare.unorderedArrays: 'tags' is not a JSON path: it must start with $")]
    [InlineData("compare: { ignore: ['$..id'] }", "migration 'orders': compare.ignore: '$..id' is not a JSON path: a '.' at position 2 is not followed by a name")]
    [InlineData("compare: { numericTolerance: -1 }", "migration 'orders': compare.numericTolerance: -1 is negative")]
    [InlineData("compare: { headers: ['Content Type'] }", "migration 'orders': compare.headers: 'Content Type' is not a header name")]
    [InlineData("compare: { normalizeWhitespace: sometimes }", "migration 'orders': compare.normalizeWhitespace: 'sometimes' is not true or false")]
    public void Load_BadMigrationValue_NamesFileLineMigrationKeyValueAndWhatIsAllowed(string line, string expected)
    {
        var yaml = $"""
            migrations:
              - name: orders
                match: {"{"} pathPrefix: /orders {"}"}
                legacy: http://127.0.0.1:9001
                candidate: http://127.0.0.1:9002
                {line}
            """;

        var error = Assert.Single(Errors(yaml));

        Assert.StartsWith("cutover.yaml:", error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("legacy: ftp://old.example.com", "legacy: 'ftp://old.example.com' is not a backend URL; use http:// or https://")]
    [InlineData("legacy: not a url", "legacy: 'not a url' is not a backend URL")]
    [InlineData("legacy: http://127.0.0.1:9001/?debug=1", "legacy: 'http://127.0.0.1:9001/?debug=1' is not a backend URL")]
    public void Load_BadBackendUrl_SaysWhatAUrlLooksLike(string line, string expected)
    {
        var yaml = $"""
            migrations:
              - name: orders
                match: {"{"} pathPrefix: /orders {"}"}
                candidate: http://127.0.0.1:9002
                {line}
            """;

        Assert.Contains(expected, Assert.Single(Errors(yaml)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Orders")]
    [InlineData("orders_v2")]
    [InlineData("-orders")]
    [InlineData("orders--v2")]
    public void Load_MalformedName_ShowsTheRule(string name)
    {
        var error = Assert.Single(Errors(Migration(name, "/a")));

        Assert.Contains($"name: '{name}' is not allowed; use lower-case letters, digits and single dashes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateNames_AreRejected()
    {
        var errors = Errors(Migration("orders", "/a") + Migration("orders", "/b", header: false));

        Assert.Contains(errors, e => e.Contains("migration 'orders': name: 'orders' is used by more than one migration; names must be unique", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_IdenticalMatches_NameBothMigrations()
    {
        var errors = Errors(Migration("orders", "/orders") + Migration("orders-v2", "/orders/", header: false));

        Assert.Contains(errors, e => e.Contains(
            "migration 'orders-v2': match: matches exactly the same requests as migration 'orders', so one of them would never be used", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_OverlappingPrefixes_AreAllowed()
    {
        var definition = ConfigLoader.Load(Migration("orders", "/orders") + Migration("archive", "/orders/archive", header: false), "c.yaml");

        Assert.Equal(2, definition.Migrations.Count);
    }

    [Fact]
    public void Load_MissingMatchAndBackends_ReportsEachMissingKey()
    {
        var errors = Errors("""
            migrations:
              - name: orders
            """);

        Assert.Contains(errors, e => e.Contains("match: needs a pathPrefix, a grpc service or a host", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("legacy: is missing; give the legacy backend's base URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("candidate: is missing; give the candidate backend's base URL", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ManyProblems_ReportsEveryOneAtOnce()
    {
        var errors = Errors("""
            listen: 8080
            store: mysql://db
            colour: blue
            migrations:
              - name: Orders
                match: { pathPrefix: orders }
                legacy: http://127.0.0.1:9001
                candidate: http://127.0.0.1:9002
                weight: 101
              - name: users
                match: { pathPrefix: /users }
                legacy: nowhere
                candidate: http://127.0.0.1:9004
                mode: purple
            """);

        Assert.Equal(8, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("cutover.yaml: listen: '8080' is not an address to listen on", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("store: 'mysql://db' is not a store; use sqlite:PATH", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("cutover.yaml:3: colour: unknown key", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("migration 'Orders': match.pathPrefix: 'orders' is not a path prefix; it must start with '/'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("migration 'Orders': weight: 101 is outside 0..100", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("migration 'users': legacy: 'nowhere' is not a backend URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("migration 'users': mode: 'purple' is not a mode", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_BrokenYaml_GivesTheLine()
    {
        var error = Assert.Single(Errors("migrations:\n  - name: orders\n    match: { pathPrefix: /orders\n"));

        Assert.Matches(@"^cutover\.yaml:\d+: not valid YAML", error);
    }

    [Fact]
    public void Load_TabIndentation_NamesTheLineWithTheTab()
    {
        var error = Assert.Single(Errors("listen: http://127.0.0.1:8080\nmigrations:\n  orders:\n    match: { path: /a }\n\tlegacy: http://127.0.0.1:9001\n"));

        Assert.Equal("cutover.yaml:5: not valid YAML: this line is indented with a tab; YAML indents with spaces only, so replace the tab with spaces", error);
    }

    [Fact]
    public void Load_FlowMappingLeftOpenBeforeMoreKeys_NamesTheLastLineInsteadOfCrashing()
    {
        var error = Assert.Single(Errors("migrations:\n  - name: orders\n    match: { pathPrefix: /orders\n    legacy: x\n"));

        Assert.Equal("cutover.yaml:4: not valid YAML: the file ends inside a '{' or '[' that is never closed; close it with '}' or ']'", error);
    }

    [Fact]
    public void Load_EmptyFile_SaysWhatItNeeds() =>
        Assert.Contains("the file is empty; it needs at least a 'migrations' list", Assert.Single(Errors(string.Empty)), StringComparison.Ordinal);

    [Fact]
    public void Load_MigrationsNotAList_SaysSo() =>
        Assert.Contains("migrations: expected a list of migrations", Assert.Single(Errors("migrations: orders")), StringComparison.Ordinal);

    [Fact]
    public void Load_SamePortForAdminAndListen_IsRejected()
    {
        var errors = Errors("listen: http://127.0.0.1:8080\nadmin: http://127.0.0.1:8080\nmigrations: []");

        Assert.Contains("admin: 'http://127.0.0.1:8080' uses the same address as 'listen'", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("store: 'sqlite::memory:'", "store: 'sqlite::memory:' names no SQLite file, and the store must outlive the process")]
    [InlineData("store: Server=db;Database=x", "store: 'Server=db;Database=x' is not a store; use sqlite:PATH")]
    public void Load_BadFileLevelValue_SaysWhatIsAllowed(string line, string expected) =>
        Assert.Contains(expected, Assert.Single(Errors(line + "\nmigrations: []")), StringComparison.Ordinal);

    [Fact]
    public void Load_HeaderGivenTwiceInAnyCase_IsRejected()
    {
        var errors = Errors("""
            migrations:
              - name: orders
                match: { pathPrefix: /orders, headers: { X-Tenant: a, x-tenant: b } }
                legacy: http://127.0.0.1:9001
                candidate: http://127.0.0.1:9002
            """);

        Assert.Contains("match.headers.x-tenant: is given twice (header names ignore case); keep one", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_MissingFile_SaysHowToPassOne()
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile("/nonexistent/cutover.yaml"));

        Assert.Contains("/nonexistent/cutover.yaml: cannot be read", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Pass the config file with -c PATH", exception.Message, StringComparison.Ordinal);
    }

    private static List<string> Errors(string yaml)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(yaml, "cutover.yaml"));
        return exception.Errors.Select(e => e.ToString()).ToList();
    }

    private static string Migration(string name, string prefix, bool header = true) => (header ? "migrations:\n" : string.Empty) + $"""
          - name: {name}
            match: {"{"} pathPrefix: {prefix} {"}"}
            legacy: http://127.0.0.1:9001
            candidate: http://127.0.0.1:9002

        """;
}
