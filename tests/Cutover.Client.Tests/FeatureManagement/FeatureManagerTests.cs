using Cutover.Client.FeatureManagement;
using Cutover.Client.Tests.Infrastructure;
using Cutover.Kernel.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace Cutover.Client.Tests.FeatureManagement;

public sealed class FeatureManagerTests
{
    private static readonly string[] Users = Enumerable.Range(1, 300).Select(i => $"user-{i}").ToArray();

    [Fact]
    public async Task IsEnabledAsync_CanaryWithTargetingContext_EqualsIsCandidateForEveryUser()
    {
        using var sdk = Start().With(MigrationMode.Canary, 30);
        var features = sdk.Services.GetRequiredService<IFeatureManager>();

        var enabled = new List<bool>();
        foreach (var user in Users)
        {
            enabled.Add(await features.IsEnabledAsync("billing-tax", new TargetingContext { UserId = user }));
        }

        Assert.Equal(Users.Select(user => sdk.Client.IsCandidate("billing-tax", user)), enabled);
        Assert.Contains(true, enabled);
        Assert.Contains(false, enabled);
    }

    [Fact]
    public async Task IsEnabledAsync_FollowsModeChanges()
    {
        using var sdk = Start().With(MigrationMode.Candidate, 100);
        var features = sdk.Services.GetRequiredService<IFeatureManager>();
        var wasEnabled = await features.IsEnabledAsync("billing-tax");

        sdk.With(MigrationMode.Legacy);

        Assert.Equal((true, false), (wasEnabled, await features.IsEnabledAsync("billing-tax")));
    }

    [Fact]
    public async Task IsEnabledAsync_NoContext_TakesTheUserFromTheTargetingAccessor()
    {
        using var sdk = Start(s => s.AddSingleton<ITargetingContextAccessor>(new FixedUser("user-7"))).With(MigrationMode.Canary, 50);
        var features = sdk.Services.GetRequiredService<IFeatureManager>();

        Assert.Equal(sdk.Client.IsCandidate("billing-tax", "user-7"), await features.IsEnabledAsync("billing-tax"));
    }

    [Fact]
    public async Task Features_UnknownMigrationIsOff_AndConfiguredFlagsStillWork()
    {
        using var sdk = Start().With(MigrationMode.Shadow, migration: "pricing");
        var features = sdk.Services.GetRequiredService<IFeatureManager>();

        Assert.False(await features.IsEnabledAsync("billing-tax"));
        Assert.True(await features.IsEnabledAsync("dark-mode"));
        Assert.False(await features.IsEnabledAsync("pricing"));
        var names = new List<string>();
        await foreach (var name in features.GetFeatureNamesAsync())
        {
            names.Add(name);
        }

        Assert.Equal(["pricing", "dark-mode"], names);
    }

    private static ClientUnderTest Start(Action<IServiceCollection>? more = null) =>
        ClientUnderTest.FromSettings(new Dictionary<string, string?> { ["FeatureManagement:dark-mode"] = "true" }, services =>
        {
            services.AddLogging();
            more?.Invoke(services);
            services.AddFeatureManagement().AddCutoverMigrations();
        });

    private sealed class FixedUser(string user) : ITargetingContextAccessor
    {
        public ValueTask<TargetingContext> GetContextAsync() => ValueTask.FromResult(new TargetingContext { UserId = user });
    }
}
