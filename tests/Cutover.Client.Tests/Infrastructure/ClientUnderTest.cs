using Cutover.Client.Reporting;
using Cutover.Client.Setup;
using Cutover.Client.State;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Client.Tests.Infrastructure;

/// <summary>The SDK as an application gets it from <c>services.AddCutover(...)</c>, with the shared state the control-plane link fills and drains.</summary>
internal sealed class ClientUnderTest : IDisposable
{
    public const string Migration = "billing-tax";

    private ClientUnderTest(ServiceProvider services)
    {
        Services = services;
        Client = services.GetRequiredService<ICutoverClient>();
        Table = services.GetRequiredService<MigrationTable>();
        Metrics = services.GetRequiredService<MetricsRegistry>();
        Samples = services.GetRequiredService<DivergenceSampleBuffer>();
    }

    public ServiceProvider Services { get; }

    public ICutoverClient Client { get; }

    public MigrationTable Table { get; }

    public MetricsRegistry Metrics { get; }

    public DivergenceSampleBuffer Samples { get; }

    public MigrationCounters Counters => Metrics.For(Migration);

    /// <summary>A client configured in code.</summary>
    public static ClientUnderTest Start(Action<CutoverClientOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddCutover(configure ?? (_ => { }));
        services?.Invoke(collection);
        return new ClientUnderTest(collection.BuildServiceProvider(validateScopes: true));
    }

    /// <summary>A client configured from settings as they would be in appsettings.json.</summary>
    public static ClientUnderTest FromSettings(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddCutover(configuration);
        services?.Invoke(collection);
        return new ClientUnderTest(collection.BuildServiceProvider(validateScopes: true));
    }

    /// <summary>What the control plane would stream: the migration's mode and weight.</summary>
    public ClientUnderTest With(MigrationMode mode, double weight = 0, string migration = Migration)
    {
        Table.Set(new MigrationSetting(migration, mode, Weight.FromPercent(weight), (Table.Find(migration)?.Version ?? 0) + 1));
        return this;
    }

    /// <summary>Waits for a concurrent shadow's comparison, which nobody awaits.</summary>
    public async Task EventuallyAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 5_000, "the condition did not hold within 5 s");
            await Task.Delay(10);
        }
    }

    public void Dispose() => Services.Dispose();
}
