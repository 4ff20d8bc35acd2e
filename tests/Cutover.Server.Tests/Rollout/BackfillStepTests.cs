using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Core.State;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Rollout;

/// <summary>Plans that move data between traffic steps: a backfill step runs its job in the control plane, verifies it, and only then lets the plan go on.</summary>
public sealed class BackfillStepTests
{
    [Fact]
    public async Task Plan_BackfillStep_CopiesTheJobVerifiesItAndMovesOn()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await using var harness = await RolloutHarness.StartAsync(Plan(scenario.WriteJobFile()));
        await harness.SendTrafficAsync();

        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Weight == 50, TimeSpan.FromMinutes(5));

        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        var step = (await AuditAsync(harness)).First(a => a.Reason.StartsWith("backfill customers", StringComparison.Ordinal));
        Assert.Equal(("step", "cutover"), (step.Action, step.Actor));
        Assert.Contains($"{CustomersScenario.Rows} rows copied, and verify found the target identical", step.Reason, StringComparison.Ordinal);
        var verify = JsonDocument.Parse(step.Evidence!).RootElement.GetProperty("backfill").GetProperty("verify");
        Assert.Equal((true, (long)CustomersScenario.Rows, 0L), (verify.GetProperty("identical").GetBoolean(), verify.GetProperty("targetRows").GetInt64(), verify.GetProperty("ahead").GetInt64()));
    }

    [Fact]
    public async Task Plan_SourceChangesBehindTheCursor_CatchesTheRowUpBeforeTheVerifyAndMovesOn()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        // 4 rows a second of clock time: the job is still copying when the source changes a copied row.
        await using var harness = await RolloutHarness.StartAsync(Plan(scenario.WriteJobFile(batchSize: 4, rateLimit: 4)));
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 2, TimeSpan.FromMinutes(2));
        for (var second = 0; await RowsCopiedAsync(harness) < 4; second++)
        {
            Assert.True(second < 30, "the job copied no batch within 30 s of clock time");
            await harness.DriveForAsync(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        // The first row in key order, already copied, is renamed by the application meanwhile.
        await scenario.Source.ExecuteAsync("UPDATE customers SET first_name = 'Renamed', updated_at = 2 WHERE tenant = 1 AND id = 76");
        Assert.InRange(await RowsCopiedAsync(harness), 4, CustomersScenario.Rows - 1);
        await harness.DriveUntilAsync(v => v.Weight == 50, TimeSpan.FromMinutes(3));

        Assert.Contains("1|76|Renamed Last24|c24@example.com|1", await scenario.TargetRowsAsync());
        var step = (await AuditAsync(harness)).First(a => a.Reason.StartsWith("backfill customers", StringComparison.Ordinal));
        Assert.Contains($"{CustomersScenario.Rows} rows copied, 1 row changed meanwhile copied again by 1 catch-up pass, and verify found the target identical", step.Reason, StringComparison.Ordinal);
        var backfill = JsonDocument.Parse(step.Evidence!).RootElement.GetProperty("backfill");
        Assert.Equal([1L], backfill.GetProperty("catchUpPasses").EnumerateArray().Select(p => p.GetInt64()));
        Assert.True(backfill.GetProperty("verify").GetProperty("identical").GetBoolean());
    }

    [Fact]
    public async Task Plan_BackfillFails_PausesWithTheJobsErrorKeepsTrafficAndResumesOnceFixed()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Target.ExecuteAsync("DROP TABLE clients", "DROP TABLE clients");
        await using var harness = await RolloutHarness.StartAsync(Plan(scenario.WriteJobFile()));
        await harness.SendTrafficAsync();

        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Status == "paused", TimeSpan.FromMinutes(2));
        var paused = await harness.Proxy.MigrationAsync("orders");

        // Users stay where the plan had them: a half-moved state is for a person to judge.
        Assert.Equal(("canary", 10.0, 2), (paused.Mode, paused.Weight.Percent, paused.Plan!.Step ?? 0));
        Assert.Contains("backfill customers failed", paused.Plan.Note, StringComparison.Ordinal);
        Assert.Contains("clients", paused.Plan.Note, StringComparison.Ordinal);
        var pause = (await AuditAsync(harness)).First(a => a.Action == "pause");
        Assert.Contains("clients", JsonDocument.Parse(pause.Evidence!).RootElement.GetProperty("backfill").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("paused", harness.EventKinds);

        await scenario.Target.ExecuteAsync(
            "CREATE TABLE clients (tenant_id INTEGER NOT NULL, client_id INTEGER NOT NULL, full_name TEXT NOT NULL, email TEXT, active INTEGER NOT NULL, PRIMARY KEY (tenant_id, client_id))",
            "CREATE TABLE clients (tenant_id integer NOT NULL, client_id bigint NOT NULL, full_name varchar(200) NOT NULL, email text, active boolean NOT NULL, PRIMARY KEY (tenant_id, client_id))");
        (await harness.PostAsync("resume")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Weight == 50, TimeSpan.FromMinutes(5));

        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task Plan_ReplicaRunningTheBackfillStops_AnotherResumesTheJobFromItsCheckpoint()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        // 4 rows a second of clock time: the job is still copying when its replica stops.
        await using var harness = await RolloutHarness.StartAsync(Plan(scenario.WriteJobFile(batchSize: 4, rateLimit: 4)));
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 2, TimeSpan.FromMinutes(2));
        await using var second = await harness.StartReplicaAsync();
        await harness.DriveForAsync(TimeSpan.FromSeconds(3));
        var copiedByFirst = (await scenario.TargetRowsAsync()).Count;
        // Both replicas show the job inside the plan, as the store has it.
        foreach (var replica in new[] { harness.Proxy, second })
        {
            var job = (await replica.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/judge")).GetProperty("backfill");
            Assert.Equal(("customers", "running"), (job.GetProperty("name").GetString(), job.GetProperty("status").GetString()));
            Assert.InRange(job.GetProperty("rowsCopied").GetInt64(), 1, CustomersScenario.Rows - 1);
        }


        await harness.Proxy.StopAsync();
        await harness.DriveUntilAsync(v => v.Weight == 50, TimeSpan.FromMinutes(3), replica: second);

        Assert.InRange(copiedByFirst, 1, CustomersScenario.Rows - 1);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        var step = (await AuditAsync(second)).First(a => a.Reason.StartsWith("backfill customers", StringComparison.Ordinal));
        Assert.Contains("verify found the target identical", step.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_BackfillMakesNoProgress_PausesAsStalledAfterStallAfter()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        // The target reads unhealthy for ever: the job backs off and never checkpoints a batch.
        var job = scenario.WriteJobFile(more: "throttle: { healthQuery: \"SELECT 99\", healthMax: 10, backoff: 1s }");
        await using var harness = await RolloutHarness.StartAsync(Plan(job, stallAfter: "30s"));
        await harness.SendTrafficAsync();

        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        var took = await harness.DriveUntilAsync(v => v.Plan!.Status == "paused", TimeSpan.FromMinutes(3));

        var paused = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("canary", 10.0), (paused.Mode, paused.Weight.Percent));
        Assert.Contains("stalled: no batch checkpointed for", paused.Plan!.Note, StringComparison.Ordinal);
        Assert.InRange(took, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(75));
        Assert.Empty(await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task Plan_BackfillStepWithCatchUp_CopiesRowsChangedDuringTheLaterSteps()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var plan = $$"""
            steps:
              - weight: 10
              - backfill: { file: "{{scenario.WriteJobFile()}}", catchUp: 2s }
              - pause: {}
            minSamples: 20
            """;
        await using var harness = await RolloutHarness.StartAsync(plan);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 3, TimeSpan.FromMinutes(2));

        // A customer added while the plan waits on its next step reaches the target by a catch-up pass.
        await scenario.Source.ExecuteAsync(
            "INSERT INTO customers (tenant, id, first_name, last_name, email, active, updated_at) VALUES (9, 900, 'Late', 'Comer', NULL, TRUE, 2)");
        for (var second = 0; !(await scenario.TargetRowsAsync()).Contains("9|900|Late Comer|null|1"); second++)
        {
            Assert.True(second < 30, "no catch-up pass copied the new customer within 30 s of clock time");
            await harness.DriveForAsync(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        var job = (await harness.Proxy.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/judge")).GetProperty("backfill");
        Assert.Equal(("customers", "completed"), (job.GetProperty("name").GetString(), job.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Plan_BackfillDoneOutsideThePlansWindow_WaitsForItToOpen()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        // The clock starts at midnight UTC; the window is closed from 00:01 to 00:03 UTC, and the
        // job (25 rows at a quarter of a row a second) is done inside that.
        var plan = $$"""
            steps:
              - weight: 10
              - backfill: { file: "{{scenario.WriteJobFile(batchSize: 1, rateLimit: 0.25)}}" }
              - weight: 50
            minSamples: 20
            window: { hours: "01:03-01:01", timeZone: Europe/Paris }
            """;
        await using var harness = await RolloutHarness.StartAsync(plan);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();

        await harness.DriveUntilAsync(v => v.Plan!.Note.Contains("waiting for the window", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        var waiting = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal((2, 10.0), (waiting.Plan!.Step ?? 0, waiting.Weight.Percent));
        Assert.StartsWith("backfill job.yaml done; waiting for the window", waiting.Plan.Note, StringComparison.Ordinal);

        await harness.DriveUntilAsync(v => v.Weight == 50, TimeSpan.FromMinutes(3));
        Assert.True(harness.Time.GetUtcNow() >= new DateTimeOffset(2026, 1, 1, 0, 3, 0, TimeSpan.Zero));
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task Gates_OnTheJobsVerifyAndLag_PassWhileCatchUpKeepsUp_AndHoldThePlanWhenPassesFail()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var plan = $$"""
            steps:
              - weight: 10
              - backfill: { file: "{{scenario.WriteJobFile()}}", catchUp: 2s }
              - pause: { duration: 10s }
              - weight: 50
              - pause: { duration: 10s }
              - weight: 100
            gates: ["backfill.verified >= 1", "backfill.lagSeconds <= 5"]
            minSamples: 20
            """;
        await using var harness = await RolloutHarness.StartAsync(plan);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();

        // Before the backfill step the gates on the job are left out, so the weight step moves on.
        await harness.DriveUntilAsync(v => v.Weight == 50, TimeSpan.FromMinutes(3));
        var judge = await harness.Proxy.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/judge");
        var gates = judge.GetProperty("gates").EnumerateArray().ToDictionary(g => g.GetProperty("condition").GetString()!, g => g);
        Assert.Equal(("met", 1.0), (gates["backfill.verified >= 1"].GetProperty("verdict").GetString(), gates["backfill.verified >= 1"].GetProperty("value").GetDouble()));
        Assert.InRange(gates["backfill.lagSeconds <= 5"].GetProperty("value").GetDouble(), 0, 5);

        // The target table goes away: catch-up passes fail, the lag is unknown, and the plan stays at weight 50.
        await scenario.Target.ExecuteAsync("DROP TABLE clients", "DROP TABLE clients");
        await harness.DriveForAsync(TimeSpan.FromSeconds(30), requestsPerSecond: 40);
        var held = await harness.Proxy.MigrationAsync("orders");
        // At weight 50, or in the pause after it when its gates were met before the table went: never on to weight 100.
        Assert.Equal(50.0, held.Weight.Percent);
        Assert.InRange(held.Plan!.Step ?? 0, 4, 5);
        var lag = (await harness.Proxy.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/judge")).GetProperty("gates").EnumerateArray()
            .Single(g => g.GetProperty("condition").GetString() == "backfill.lagSeconds <= 5");
        // Over 5 s since the last pass that worked, or unknown when the failed pass was recorded on the job.
        Assert.Contains(lag.GetProperty("verdict").GetString(), new[] { "not-met", "inconclusive" });
        Assert.True(lag.GetProperty("value").ValueKind == JsonValueKind.Null || lag.GetProperty("value").GetDouble() > 5, lag.GetProperty("detail").GetString());
    }

    private static string Plan(string jobFile, string? stallAfter = null) => $$"""
        steps:
          - weight: 10
          - backfill: { file: "{{jobFile}}"{{(stallAfter is null ? string.Empty : $", stallAfter: {stallAfter}")}} }
          - weight: 50
        minSamples: 20
        """;

    private static async Task<long> RowsCopiedAsync(RolloutHarness harness) =>
        (await harness.Proxy.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/judge")).GetProperty("backfill") is { ValueKind: JsonValueKind.Object } job
            ? job.GetProperty("rowsCopied").GetInt64()
            : 0;

    private static Task<List<AuditEntry>> AuditAsync(RolloutHarness harness) => AuditAsync(harness.Proxy);

    private static async Task<List<AuditEntry>> AuditAsync(ProxyUnderTest replica) =>
        (await replica.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders"))!;
}
