using Cutover.Client;
using Cutover.Client.Link;
using Cutover.Client.Setup;
using Cutover.Client.State;
using Cutover.Kernel.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cutover.Server.Tests.Link;

/// <summary>
/// An application with the SDK's control-plane link, as <c>AddCutover</c> sets it up: its
/// hosted services started on a real service provider, pointed at a real Cutover's admin API.
/// Results are reported when the test says (<see cref="ReportAsync"/>) unless a report interval is given.
/// </summary>
internal sealed class LinkedApp : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _hosted;

    private LinkedApp(ServiceProvider services, List<IHostedService> hosted)
    {
        _services = services;
        _hosted = hosted;
    }

    public MigrationTable Table => _services.GetRequiredService<MigrationTable>();

    public ControlPlaneLinkStatus Status => _services.GetRequiredService<ControlPlaneLinkStatus>();

    public MetricsRegistry Metrics => _services.GetRequiredService<MetricsRegistry>();

    public ICutoverClient Client => _services.GetRequiredService<ICutoverClient>();

    public static async Task<LinkedApp> StartAsync(Uri? controlPlane, string? cacheFile, TimeSpan? reportInterval = null, Action<CutoverClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCutover(o =>
        {
            o.ControlPlane = controlPlane;
            o.CacheFile = cacheFile;
            o.App = "billing";
            o.ReportInterval = reportInterval ?? TimeSpan.FromDays(1);
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return new LinkedApp(provider, hosted);
    }

    /// <summary>Sends what was counted since the last report, as the reporter does every interval.</summary>
    public Task ReportAsync() => _hosted.OfType<ResultsReporter>().Single().ReportAsync(CancellationToken.None);

    /// <summary>Waits (real time) until <paramref name="holds"/> is true of the migration's setting; returns how long it took.</summary>
    public async Task<TimeSpan> WaitForAsync(string migration, Func<MigrationSetting?, bool> holds, TimeSpan? limit = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!holds(Table.Find(migration)))
        {
            if (TimeProvider.System.GetElapsedTime(started) > (limit ?? TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"Migration {migration} is {Table.Find(migration)?.ToString() ?? "unknown"}.");
            }

            await Task.Delay(5);
        }

        return TimeProvider.System.GetElapsedTime(started);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }
}
