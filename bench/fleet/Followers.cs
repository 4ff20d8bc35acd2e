using System.Diagnostics;
using Cutover.Client;
using Cutover.Client.Link;
using Cutover.Client.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cutover.Bench.Fleet;

/// <summary>
/// Applications following the control plane as Cutover.Client does, all in this process: each is
/// its own service provider built by <c>AddCutover</c> with the link's hosted services started,
/// so each has its own HTTP client, its own event stream and its own <see cref="MigrationTable"/>.
/// They make no calls, so they send no reports.
/// </summary>
internal sealed class Followers : IAsyncDisposable
{
    private readonly List<Follower> _all = [];

    /// <summary>What the followers' links warned about, counted.</summary>
    public LinkWarnings Warnings { get; } = new();

    public int Count => _all.Count;

    public IReadOnlyList<MigrationTable> Tables => [.. _all.Select(f => f.Table)];

    /// <summary>Starts <paramref name="count"/> applications, the i-th following <c>replicas[i % replicas.Count]</c>, <paramref name="perSecond"/> at most each second.</summary>
    public async Task StartAsync(int count, IReadOnlyList<Replica> replicas, int perSecond)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var services = new ServiceCollection();
            services.AddLogging(logging => logging.AddProvider(Warnings));
            var controlPlane = replicas[i % replicas.Count].Admin;
            services.AddCutover(o =>
            {
                o.ControlPlane = controlPlane;
                o.App = $"app-{i}";
            });
            var provider = services.BuildServiceProvider();
            var hosted = provider.GetServices<IHostedService>().ToList();
            foreach (var service in hosted)
            {
                await service.StartAsync(CancellationToken.None);
            }

            _all.Add(new Follower(provider, hosted, provider.GetRequiredService<MigrationTable>(), provider.GetRequiredService<ControlPlaneLinkStatus>()));
            var due = TimeSpan.FromSeconds((i + 1) / (double)perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }
    }

    /// <summary>Waits until every application's stream is open and its table holds <paramref name="migrations"/> migrations; false at the deadline.</summary>
    public async Task<bool> WaitAllFollowingAsync(int migrations, TimeSpan within, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var told = TimeSpan.Zero;
        while (clock.Elapsed < within)
        {
            var following = _all.Count(f => f.Status.Connected && f.Table.All.Count == migrations);
            if (following == _all.Count)
            {
                return true;
            }

            if (clock.Elapsed - told >= TimeSpan.FromSeconds(10))
            {
                told = clock.Elapsed;
                log($"{following} of {_all.Count} followers following, {Reconnects} reconnects so far");
            }

            await Task.Delay(250);
        }

        return false;
    }

    /// <summary>Applications whose stream is open now.</summary>
    public int Connected => _all.Count(f => f.Status.Connected);

    /// <summary>Times streams dropped or could not be opened, over every application.</summary>
    public long Reconnects => _all.Sum(f => f.Status.Reconnects);

    public async ValueTask DisposeAsync()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Task.WhenAll(_all.Select(async f =>
        {
            foreach (var service in f.Hosted)
            {
                await service.StopAsync(patience.Token);
            }

            await f.Provider.DisposeAsync();
        }));
    }

    private sealed record Follower(ServiceProvider Provider, IReadOnlyList<IHostedService> Hosted, MigrationTable Table, ControlPlaneLinkStatus Status);
}
