using Cutover.Core.Configuration;
using Cutover.Core.Metrics;
using Cutover.Server.Hosting;
using Microsoft.Extensions.Hosting;

namespace Cutover.Server.Metrics;

/// <summary>
/// Closes every migration's 10-second bucket at each 10-second mark of the clock, so the
/// buckets of all replicas start at the same moments and add up.
/// </summary>
internal sealed class MetricsRoller(MetricsRegistry metrics, CutoverDefinition definition, CutoverHostOptions options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                var now = options.Time.GetUtcNow();
                await Task.Delay(MetricsHistory.BucketStartOf(now) + MetricsHistory.BucketLength - now, options.Time, stoppingToken);
                RollAll();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private void RollAll()
    {
        var now = options.Time.GetUtcNow();
        foreach (var migration in definition.Migrations)
        {
            metrics.History(migration.Name).Roll(now);
        }
    }
}
