using Cutover.Core.Configuration;
using Cutover.Kernel.Metrics;
using Cutover.Server.Control;
using Cutover.Server.Routing;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Store;
using Cutover.Store.Opening;

namespace Cutover.Server.Tests.Control;

/// <summary>What a start tells the operator about the store it opens, through <see cref="MigrationControl.StartAsync"/> on a real SQLite store.</summary>
public sealed class StartupLogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-startlog-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task StartAsync_FileWeightDiffersFromStore_LogsOneLineForThatMigrationOnly()
    {
        await StartAsync(Migrations(ordersWeight: 10));

        var log = await StartAsync(Migrations(ordersWeight: 20));

        var line = Assert.Single(log.Messages(1061));
        Assert.Equal(
            "Migration orders: the store wins over the config file test.yaml, which this start did not apply: weight 10 (the file says 20). " +
            "To run what the file says, apply it with `cutover apply -f test.yaml`",
            line);
    }

    [Fact]
    public async Task StartAsync_EmptyStoreWithMigrationsInTheConfig_WarnsThatANewStoreWasCreated()
    {
        var first = await StartAsync(Migrations(ordersWeight: 10));
        var second = await StartAsync(Migrations(ordersWeight: 10));

        var line = Assert.Single(first.Messages(1060));
        Assert.StartsWith($"The store sqlite:{Path.Combine(_folder, "cutover.db")} was empty: a new one was created and 2 migration(s) seeded from the config file test.yaml.", line, StringComparison.Ordinal);
        Assert.Contains("otherwise the store was lost", line, StringComparison.Ordinal);
        Assert.Empty(second.Messages(1060));
    }

    [Fact]
    public async Task StartAsync_FileAsStored_LogsNoDifference()
    {
        await StartAsync(Migrations(ordersWeight: 10));

        var log = await StartAsync(Migrations(ordersWeight: 10));

        Assert.Empty(log.Messages(1061));
    }

    private static string Migrations(double ordersWeight) => $"""
          - name: orders
            match: {"{"} pathPrefix: /orders {"}"}
            legacy: http://127.0.0.1:9001
            candidate: http://127.0.0.1:9002
            mode: canary
            weight: {ordersWeight}
          - name: users
            match: {"{"} pathPrefix: /users {"}"}
            legacy: http://127.0.0.1:9001
            candidate: http://127.0.0.1:9002
            mode: canary
            weight: 5
        """;

    private async Task<RecordingLogger<MigrationControl>> StartAsync(string migrations)
    {
        var store = Path.Combine(_folder, "cutover.db");
        var definition = ConfigLoader.Load($"""
            listen: http://127.0.0.1:0
            admin: http://127.0.0.1:0
            store: "sqlite:{store}"
            migrations:
            {migrations}
            """, "test.yaml");
        var log = new RecordingLogger<MigrationControl>();
        await using var controlStore = ControlStoreFactory.Create(definition.Store, TimeProvider.System);
        await new MigrationControl(definition, controlStore, new SnapshotSource(), new MetricsRegistry(), log).StartAsync(CancellationToken.None);
        return log;
    }
}
