using Cutover.Store.Opening;
using Cutover.Testing;

namespace Cutover.Store.Tests.Postgres;

/// <summary>A PostgreSQL store whose server is not there; needs no running server.</summary>
public sealed class PostgresUnreachableTests
{
    // Port 1 on loopback: nothing listens there, so connecting is refused at once.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Username=cutover;Password=hunter2;Database=cutover;Timeout=5";

    private readonly ManualWallClock time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task InitializeAsync_ServerRefusesConnections_ThrowsStoreUnavailableNamingStoreWithoutPassword()
    {
        await using var store = ControlStoreFactory.Create(Unreachable, time);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync());

        Assert.StartsWith("The control store postgresql://cutover@127.0.0.1:1/cutover is unavailable", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check that PostgreSQL is running and reachable at 127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PingAsync_ServerRefusesConnections_ReturnsFalse()
    {
        await using var store = ControlStoreFactory.Create(Unreachable, time);

        Assert.False(await store.PingAsync());
    }

    [Fact]
    public async Task ChangeAsync_ServerRefusesConnections_ThrowsStoreUnavailable()
    {
        await using var store = ControlStoreFactory.Create(Unreachable, time);

        await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.ChangeAsync(new("orders", "weight", Kernel.Routing.MigrationMode.Canary, (Kernel.Routing.Weight)5, "alice", string.Empty)));
    }
}
