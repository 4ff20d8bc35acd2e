using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Control;

public class RestartTests
{
    [Fact]
    public async Task Restart_KeepsStateChangedAtRunTime_OverTheFile()
    {
        await using var backends = await Backends.StartAsync();
        var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 10));
        await proxy.PostAsync("orders", "weight", new { weight = 30, reason = "before restart" });

        proxy = await proxy.RestartAsync();
        await using var restarted = proxy;

        var view = await restarted.MigrationAsync("orders");
        Assert.Equal("canary", view.Mode);
        Assert.Equal(30, view.Weight.Percent);
        Assert.Equal(2, view.Version);
    }

    [Fact]
    public async Task Restart_WithANewMigrationInTheFile_SeedsOnlyTheNewOne()
    {
        await using var backends = await Backends.StartAsync();
        var proxy = await ProxyUnderTest.StartAsync(backends.Migration("orders", "/orders"));
        await proxy.PostAsync("orders", "mode", new { mode = "candidate", reason = "done" });

        proxy = await proxy.RestartAsync(backends.Migration("orders", "/orders") + "\n" + backends.Migration("users", "/users", mode: "canary", weight: 5));
        await using var restarted = proxy;

        Assert.Equal("candidate", (await restarted.MigrationAsync("orders")).Mode);
        var users = await restarted.MigrationAsync("users");
        Assert.Equal(("canary", 5.0, 1L), (users.Mode, users.Weight, users.Version));
    }
}
