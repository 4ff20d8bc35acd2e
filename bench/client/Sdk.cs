using Cutover.Client;
using Cutover.Client.FeatureManagement;
using Cutover.Client.State;
using Cutover.Kernel.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;

namespace Cutover.Bench.Client;

/// <summary>
/// The SDK and Microsoft.FeatureManagement built by dependency injection as an application builds
/// them, with the same 20% share configured for each: a Cutover canary at weight 20, a feature
/// with Microsoft's percentage filter at 20 and one with its targeting filter rolled out to 20%.
/// </summary>
internal static class Sdk
{
    public const string Canary = "billing-tax";
    public const string Legacy = "pricing";
    public const string Percentage = "percentage-20";
    public const string Targeted = "targeting-20";

    public static ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"FeatureManagement:{Percentage}:EnabledFor:0:Name"] = "Microsoft.Percentage",
            [$"FeatureManagement:{Percentage}:EnabledFor:0:Parameters:Value"] = "20",
            [$"FeatureManagement:{Targeted}:EnabledFor:0:Name"] = "Microsoft.Targeting",
            [$"FeatureManagement:{Targeted}:EnabledFor:0:Parameters:Audience:DefaultRolloutPercentage"] = "20",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddCutover(configuration);
        services.AddFeatureManagement().AddCutoverMigrations();
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<MigrationTable>().Replace(
        [
            new MigrationSetting(Canary, MigrationMode.Canary, Weight.FromPercent(20), 1),
            new MigrationSetting(Legacy, MigrationMode.Legacy, Weight.Zero, 1),
        ]);
        return provider;
    }

    /// <summary>1,024 user ids the benchmarks cycle through, so every decision hashes a different key.</summary>
    public static string[] Users() => Enumerable.Range(1, 1024).Select(i => $"user-{i * 7919}").ToArray();
}
