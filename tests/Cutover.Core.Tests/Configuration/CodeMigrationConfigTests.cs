using Cutover.Core.Configuration;
using Cutover.Core.Routing;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Configuration;

/// <summary>Code-level migrations (<c>kind: code</c>): no route, no backends, the same mode, weight and plan as any other.</summary>
public class CodeMigrationConfigTests
{
    private const string Code = """
        migrations:
          - name: billing-tax
            kind: code
            mode: shadow
            weight: 5
            plan:
              steps:
                - shadow: { duration: 1m }
                - weight: 25
              gates: ["candidate.errorRate <= 0.01"]
          - name: orders
            match: { pathPrefix: / }
            legacy: http://127.0.0.1:9001
            candidate: http://127.0.0.1:9002
        """;

    [Fact]
    public void Load_CodeMigration_HasModeWeightAndPlanAndIsLeftOutOfRouting()
    {
        var definition = ConfigLoader.Load(Code, "c.yaml");

        var billing = definition.Migrations[0];
        Assert.Equal((MigrationKind.Code, MigrationMode.Shadow, 5.0, 2), (billing.Kind, billing.InitialMode, billing.InitialWeight, billing.Plan!.Steps.Count));
        Assert.Equal(MigrationKind.Http, definition.Migrations[1].Kind);
        var states = definition.Migrations.ToDictionary(m => m.Name, m => new Core.State.MigrationState(m.Name, m.InitialMode, m.InitialWeight, 1, DateTimeOffset.UnixEpoch));
        var snapshot = SnapshotBuilder.Snapshot(definition, states, new Kernel.Metrics.MetricsRegistry(), generation: 1);
        Assert.Equal(["orders"], snapshot.Migrations.Select(m => m.Name));
    }

    [Theory]
    [InlineData("match: { pathPrefix: /tax }", "match: is not allowed: a code-level migration (kind: code) runs both sides inside the application through Cutover.Client, so the proxy has nothing to route; remove it, or remove 'kind: code' to route requests")]
    [InlineData("legacy: http://127.0.0.1:9001", "legacy: is not allowed: a code-level migration")]
    [InlineData("candidate: http://127.0.0.1:9002", "candidate: is not allowed: a code-level migration")]
    [InlineData("stickyBy: header:X-User", "stickyBy: is not allowed")]
    [InlineData("timeouts: { legacy: 5s }", "timeouts: is not allowed")]
    [InlineData("shadow: { sample: 0.5 }", "shadow: is not allowed")]
    [InlineData("checks: { health: { legacy: /health } }", "checks.health: is not allowed")]
    [InlineData("plan: { steps: [ { smoke: {} } ] }", "plan.steps: has a smoke step, which sends requests to the candidate backend")]
    public void Load_CodeMigrationWithAProxyKey_SaysWhyItIsRefused(string key, string expected)
    {
        var errors = OneMigrationFile.Errors($"""
            migrations:
              - name: billing-tax
                kind: code
                {key}
            """);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownKind_NamesTheKinds()
    {
        var error = OneMigrationFile.SingleError("kind: lambda");

        Assert.Contains("kind: 'lambda' is not a kind of migration; use http (the default: a route the proxy forwards) or code", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralCodeMigrations_DoNotCollideOnARoute()
    {
        var definition = ConfigLoader.Load("""
            migrations:
              - { name: billing-tax, kind: code }
              - { name: pricing, kind: code }
            """, "c.yaml");

        Assert.Equal(2, definition.Migrations.Count);
    }
}
