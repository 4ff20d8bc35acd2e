using Cutover.Client.Link;
using Cutover.Client.Setup;
using Cutover.Client.State;
using Cutover.Kernel.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cutover.Client.Tests.Link;

/// <summary>The last known state on disk: what an application restarted without its control plane decides by.</summary>
public sealed class StateCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-cache-").FullName;

    private string File(string name) => Path.Combine(_folder, name);

    [Fact]
    public void Save_ThenLoad_GivesTheSameSettingsAndLeavesNoTemporaryFile()
    {
        var cache = new StateCache(File("nested/state.json"));
        MigrationSetting[] settings = [new("billing-tax", MigrationMode.Canary, (Weight)12.5, 7), new("pricing", MigrationMode.Shadow, Weight.Zero, 2)];

        cache.Save(settings);
        cache.Save(settings);

        Assert.Equal(settings, cache.Load());
        Assert.Equal(["state.json"], Directory.GetFiles(File("nested")).Select(Path.GetFileName));
    }

    [Fact]
    public void Load_NoFile_IsNull()
    {
        Assert.Null(new StateCache(File("none.json")).Load());
    }

    [Fact]
    public void Load_AModeThisBuildDoesNotKnow_LeavesThatMigrationOut()
    {
        System.IO.File.WriteAllText(File("state.json"), """
            {"migrations":[{"name":"billing-tax","mode":"canary","weight":30,"version":3},{"name":"pricing","mode":"teleport","weight":0,"version":1}]}
            """);

        var loaded = new StateCache(File("state.json")).Load();

        Assert.Equal([new MigrationSetting("billing-tax", MigrationMode.Canary, (Weight)30, 3)], loaded);
    }

    [Fact]
    public async Task StartAsync_CorruptCacheFile_CountsItAndEveryMigrationRunsLegacy()
    {
        await System.IO.File.WriteAllTextAsync(File("state.json"), "{\"migrations\": [");
        var table = new MigrationTable();
        var status = new ControlPlaneLinkStatus();
        var follower = new StateFollower(table, status, Options.Create(new CutoverClientOptions { CacheFile = File("state.json") }), TimeProvider.System, NullLogger<StateFollower>.Instance);

        await follower.StartAsync(CancellationToken.None);
        await follower.StopAsync(CancellationToken.None);

        Assert.Equal(1, status.CacheFailures);
        Assert.Empty(table.All);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
