using Cutover.Core.Configuration;
using Cutover.Kernel.Metrics;
using Cutover.Server.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Metrics;

/// <summary>
/// Closes every migration's 10-second bucket at each 10-second mark of the clock, so the
/// buckets of all replicas start at the same moments and add up. Each roll is labelled with the
/// mark it waited for, not with the clock read on waking: a timer counts whole milliseconds and
/// can wake a fraction of one early, and a roll labelled by that reading would file the next ten
/// seconds of traffic under the bucket before.
/// </summary>
internal sealed class MetricsRoller(MetricsRegistry metrics, CutoverDefinition definition, IOptions<CutoverHostOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var now = options.Value.Time.GetUtcNow();
            var mark = MetricsHistory.BucketStartOf(now) + MetricsHistory.BucketLength;
            while (true)
            {
                await Task.Delay(mark > now ? mark - now : TimeSpan.Zero, options.Value.Time, stoppingToken);
                RollAll(mark);
                now = options.Value.Time.GetUtcNow();

                // After a stall longer than a bucket, catch up with the clock rather than roll once per missed mark.
                mark = now >= mark + MetricsHistory.BucketLength
                    ? MetricsHistory.BucketStartOf(now) + MetricsHistory.BucketLength
                    : mark + MetricsHistory.BucketLength;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private void RollAll(DateTimeOffset mark)
    {
        foreach (var migration in definition.Migrations)
        {
            metrics.History(migration.Name).Roll(mark);
        }
    }
}
