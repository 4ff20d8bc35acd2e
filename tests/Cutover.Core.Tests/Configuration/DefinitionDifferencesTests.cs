using Cutover.Core.Configuration;
using Cutover.Core.Routing;

namespace Cutover.Core.Tests.Configuration;

public class DefinitionDifferencesTests
{
    private const string Orders = """
          - name: orders
            match: { pathPrefix: /orders, methods: [GET, POST], headers: { X-Tenant: acme } }
            legacy: http://127.0.0.1:9001
            candidate: http://127.0.0.1:9002
            mode: canary
            weight: 10
            stickyBy: header:X-User-Id
            timeouts: { legacy: 30s, candidate: 2s }
            shadow: { percent: 50, methods: [GET, HEAD], redact: { headers: [X-Key], fields: [email, "$.card.number"] } }
            compare: { ignore: ["$.requestId"], unorderedArrays: ["$.tags"], numericTolerance: 0.01 }
            checks: { health: { legacy: /healthz }, http: [{ name: db, url: "http://127.0.0.1:9009/db" }] }
            errors: { statuses: ["5xx", "429"], timeouts: true }
            plan:
              steps: [{ weight: 10 }, { pause: { duration: 5m } }, { weight: 100 }]
              gates: ["candidate.errorRate <= 0.01"]
        """;

    private static CutoverDefinition Load(string migrations, string top = "listen: http://127.0.0.1:8080\nstore: sqlite:cutover.db") =>
        ConfigLoader.Load($"{top}\nmigrations:\n{migrations}", "cutover.yaml");

    private static string Replace(string text, string from, string to)
    {
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoReadsOfOneFile_DifferInNothing()
    {
        var running = Load(Orders);
        var file = Load(Orders);

        Assert.Empty(DefinitionDifferences.FixedFields(running.Migrations[0], file.Migrations[0]));
        Assert.Empty(DefinitionDifferences.Plan(running.Migrations[0].Plan, file.Migrations[0].Plan));
        Assert.Empty(DefinitionDifferences.Settings(running, file));
    }

    [Theory]
    [InlineData("pathPrefix: /orders", "pathPrefix: /orders/v2", "match")]
    [InlineData("headers: { X-Tenant: acme }", "headers: { X-Tenant: other }", "match")]
    [InlineData("legacy: http://127.0.0.1:9001", "legacy: http://127.0.0.1:9011", "legacy")]
    [InlineData("candidate: http://127.0.0.1:9002", "candidate: http://127.0.0.1:9012", "candidate")]
    [InlineData("stickyBy: header:X-User-Id", "stickyBy: cookie:session", "stickyBy")]
    [InlineData("legacy: 30s", "legacy: 31s", "timeouts.legacy")]
    [InlineData("candidate: 2s", "candidate: 3s", "timeouts.candidate")]
    [InlineData("percent: 50", "percent: 60", "shadow")]
    [InlineData("fields: [email,", "fields: [phone,", "shadow")]
    [InlineData("$.card.number", "$.card.cvc", "shadow")]
    [InlineData("$.requestId", "$.traceId", "compare")]
    [InlineData("numericTolerance: 0.01", "numericTolerance: 0.02", "compare")]
    [InlineData(":9009/db", ":9009/cache", "checks")]
    [InlineData("\"429\"", "\"408\"", "errors")]
    [InlineData("timeouts: true", "timeouts: false", "errors")]
    public void FixedFields_OneValueChanged_NamesItsKey(string from, string to, string key)
    {
        var running = Load(Orders).Migrations[0];
        var file = Load(Replace(Orders, from, to)).Migrations[0];

        Assert.Equal([key], DefinitionDifferences.FixedFields(running, file));
    }

    [Fact]
    public void FixedFields_SetsWrittenInAnotherOrder_AreTheSame()
    {
        var running = Load(Orders).Migrations[0];
        var file = Load(Replace(Orders, "methods: [GET, HEAD]", "methods: [HEAD, GET]")).Migrations[0];

        Assert.Empty(DefinitionDifferences.FixedFields(running, file));
    }

    [Fact]
    public void FixedFields_ErrorStatusesWrittenOtherwise_AreTheSame()
    {
        var running = Load(Orders).Migrations[0];
        var file = Load(Replace(Orders, "statuses: [\"5xx\", \"429\"]", "statuses: [\"429\", \"500-599\"]")).Migrations[0];

        Assert.Empty(DefinitionDifferences.FixedFields(running, file));
    }

    [Fact]
    public void FixedFields_ModeWeightAndPlanChanged_AreLiveNotFixed()
    {
        var running = Load(Orders).Migrations[0];
        var changed = Replace(Replace(Replace(Orders, "mode: canary", "mode: shadow"), "weight: 10\n", "weight: 20\n"), "{ weight: 10 }, ", string.Empty);

        Assert.Empty(DefinitionDifferences.FixedFields(running, Load(changed).Migrations[0]));
    }

    [Fact]
    public void LiveFields_AreEveryPropertyApplyChangesAtRunTime()
    {
        Assert.Equal(["InitialMode", "InitialWeight", "Name", "Plan"], DefinitionDifferences.LiveFields.Order(StringComparer.Ordinal));
        Assert.All(DefinitionDifferences.LiveFields, name => Assert.NotNull(typeof(MigrationDefinition).GetProperty(name)));
    }

    [Fact]
    public void Plan_GatesAndATimeChanged_ListsEachPartWithBeforeAndAfter()
    {
        var running = Load(Orders).Migrations[0].Plan;
        var file = Load(Replace(Orders, """gates: ["candidate.errorRate <= 0.01"]""", """
            gates: ["candidate.errorRate <= 0.02", "divergenceRate <= 0.001"]
                  drainTimeout: 10s
            """)).Migrations[0].Plan;

        Assert.Equal(
            [
                new FieldChange("plan.gates", "candidate.errorRate <= 0.01", "candidate.errorRate <= 0.02, divergenceRate <= 0.001"),
                new FieldChange("plan.drainTimeout", "30s", "10s"),
            ],
            DefinitionDifferences.Plan(running, file));
    }

    [Fact]
    public void Plan_AddedAndRemoved_IsOneChangeSummarizingTheSteps()
    {
        var plan = Load(Orders).Migrations[0].Plan;

        var added = Assert.Single(DefinitionDifferences.Plan(null, plan));
        var removed = Assert.Single(DefinitionDifferences.Plan(plan, null));

        Assert.Equal(new FieldChange("plan", "none", "weight 10, pause 5m, weight 100; gates: candidate.errorRate <= 0.01"), added);
        Assert.Equal(new FieldChange("plan", added.After, "none"), removed);
    }

    [Fact]
    public void Settings_ListenAndStoreDiffer_ShowsTheAddressAndHidesTheStore()
    {
        var running = Load(Orders);
        var file = Load(Orders, "listen: http://127.0.0.1:8090\nstore: \"Host=db;Password=secret\"");

        Assert.Equal(
            [new FieldChange("listen", "http://127.0.0.1:8080/", "http://127.0.0.1:8090/"), new FieldChange("store", null, null)],
            DefinitionDifferences.Settings(running, file));
    }

    [Fact]
    public void Settings_WebhooksDiffer_AreNamedWithoutTheirValues()
    {
        var running = Load(Orders);
        var file = Load(Orders, "listen: http://127.0.0.1:8080\nstore: sqlite:cutover.db\nnotifications: { webhooks: [{ url: \"https://hooks.example.com/T0/secret\" }] }");

        Assert.Equal([new FieldChange("notifications.webhooks", null, null)], DefinitionDifferences.Settings(running, file));
    }

    [Fact]
    public void Settings_TelemetryDiffers_IsNamedWithoutItsEndpoint()
    {
        var running = Load(Orders, "listen: http://127.0.0.1:8080\nstore: sqlite:cutover.db\ntelemetry: { otlp: http://collector-a:4318 }");
        var file = Load(Orders, "listen: http://127.0.0.1:8080\nstore: sqlite:cutover.db\ntelemetry: { otlp: http://collector-b:4318 }");

        Assert.Equal([new FieldChange("telemetry", null, null)], DefinitionDifferences.Settings(running, file));
        Assert.Empty(DefinitionDifferences.Settings(running, Load(Orders, "listen: http://127.0.0.1:8080\nstore: sqlite:cutover.db\ntelemetry: { otlp: http://collector-a:4318 }")));
    }

    [Fact]
    public void Settings_TrustedProxiesDiffer_ShowsBothLists()
    {
        var running = Load(Orders, "listen: http://127.0.0.1:8080\nstore: sqlite:cutover.db\ntrustedProxies: [10.0.0.0/8]");
        var file = Load(Orders, "listen: http://127.0.0.1:8080\nstore: sqlite:cutover.db\ntrustedProxies: [10.0.0.0/8, 127.0.0.1]");

        Assert.Equal([new FieldChange("trustedProxies", "10.0.0.0/8", "10.0.0.0/8, 127.0.0.1/32")], DefinitionDifferences.Settings(running, file));
    }
}
