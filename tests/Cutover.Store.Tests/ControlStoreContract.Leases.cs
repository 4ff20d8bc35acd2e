namespace Cutover.Store.Tests;

/// <summary>Named leases: taken, refused while held, taken over once expired, released, and who holds them, on each engine.</summary>
public abstract partial class ControlStoreContract
{
    [Fact]
    public async Task TryLeaseAsync_HeldByAnother_IsRefusedUntilItExpiresOrIsReleased()
    {
        var store = await OpenAsync();
        var term = TimeSpan.FromSeconds(15);

        Assert.True(await store.TryLeaseAsync("orchestrator", "a", term));
        Assert.False(await store.TryLeaseAsync("orchestrator", "b", term));
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await store.TryLeaseAsync("orchestrator", "a", term));
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(await store.TryLeaseAsync("orchestrator", "b", term));
        Time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(await store.TryLeaseAsync("orchestrator", "b", term));
        Assert.False(await store.TryLeaseAsync("orchestrator", "a", term));
        await store.ReleaseLeaseAsync("orchestrator", "a");
        Assert.False(await store.TryLeaseAsync("orchestrator", "a", term));
        await store.ReleaseLeaseAsync("orchestrator", "b");
        Assert.True(await store.TryLeaseAsync("orchestrator", "a", term));
        Assert.True(await store.TryLeaseAsync("other-job", "b", term));
    }

    [Fact]
    public async Task GetLeaseHolderAsync_NamesTheHolderExpiredOrNotAndNoneOnceReleased()
    {
        var store = (IBackfillStore)await OpenAsync();

        Assert.Null(await store.GetLeaseHolderAsync("backfill:a"));
        Assert.True(await store.TryLeaseAsync("backfill:a", "host:1:run", TimeSpan.FromSeconds(15)));
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("host:1:run", await store.GetLeaseHolderAsync("backfill:a"));
        await store.ReleaseLeaseAsync("backfill:a", "host:1:run");
        Assert.Null(await store.GetLeaseHolderAsync("backfill:a"));
    }
}
