using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.State;
using Cutover.Kernel.Routing;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Store;
using Cutover.Store.Opening;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Control;

public sealed class StoreOutageTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-outage-").FullName;
    private Backends _backends = null!;
    private FailingStore _store = null!;
    private ProxyUnderTest _proxy = null!;

    public async Task InitializeAsync()
    {
        _backends = await Backends.StartAsync();
        _store = new FailingStore(ControlStoreFactory.Create($"sqlite:{Path.Combine(_folder, "outage.db")}", TimeProvider.System));
        _proxy = await ProxyUnderTest.StartAsync(_backends.Migration(mode: "candidate"),
            options: new CutoverHostOptions { LogLevel = LogLevel.Critical, Store = _store, StateRefreshInterval = TimeSpan.FromMilliseconds(50) });
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _backends.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task StoreDown_ChangeIs503_AndTrafficKeepsItsRouting()
    {
        _store.Down = true;

        using var response = await _proxy.Admin.PostAsJsonAsync("/api/migrations/orders/rollback", new { reason = "store is down" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Nothing was changed; traffic keeps its current routing.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Task.Delay(200);
        Assert.Equal("candidate", await _proxy.SideOfAsync("u"));
        Assert.Equal("candidate", (await _proxy.MigrationAsync("orders")).Mode);
    }

    [Fact]
    public async Task StoreDown_ReadyzAndAuditAre503_HealthzStaysOk()
    {
        _store.Down = true;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _proxy.Admin.GetAsync("/readyz")).StatusCode);
        using var audit = await _proxy.Admin.GetAsync("/api/audit");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, audit.StatusCode);
        Assert.EndsWith("Traffic keeps its current routing.", (await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _proxy.Admin.GetAsync("/healthz")).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StoreFailingDuringRefresh_KeepsRouting_AndTheRefresherCarriesOn(bool broken)
    {
        _store.Down = !broken;
        _store.Broken = broken;
        await Task.Delay(300);
        Assert.Equal("candidate", await _proxy.SideOfAsync("u"));

        _store.Down = _store.Broken = false;
        await using (var otherReplica = ControlStoreFactory.Create($"sqlite:{Path.Combine(_folder, "outage.db")}", TimeProvider.System))
        {
            await otherReplica.ChangeAsync(new StateChange("orders", "rollback", MigrationMode.Legacy, Weight.Zero, "other", "after outage"));
        }

        var followed = false;
        for (var i = 0; i < 100 && !followed; i++)
        {
            await Task.Delay(50);
            followed = await _proxy.SideOfAsync("u") == "legacy";
        }

        Assert.True(followed, "after the store recovered, a change made elsewhere never reached this replica's routing");
    }

    [Fact]
    public async Task StoreBack_ChangesWorkAgain()
    {
        _store.Down = true;
        await Task.Delay(200);
        _store.Down = false;

        var view = await _proxy.PostAsync("orders", "rollback", new { reason = "store is back" });

        Assert.Equal("legacy", view.Mode);
        Assert.Equal("legacy", await _proxy.SideOfAsync("u"));
    }
}
