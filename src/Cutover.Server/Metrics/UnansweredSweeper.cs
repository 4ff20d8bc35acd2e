using Cutover.Core.Routing;
using Cutover.Core.Values;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;
using Cutover.Server.Forwarding;
using Cutover.Server.Routing;
using Cutover.Server.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Metrics;

/// <summary>
/// Once a second, counts every proxied request whose answer has not begun after its migration's
/// <see cref="ErrorPolicy.UnansweredAfter"/> as a request and an error of its side, so a backend
/// that accepts requests and never answers is judged within seconds instead of at its timeout,
/// and logs it like a failed forward (one line, then a count every 10 s).
/// </summary>
internal sealed class UnansweredSweeper(SnapshotSource snapshots, ForwardFaults faults, IOptions<CutoverHostOptions> options) : BackgroundService
{
    /// <summary>How often requests are looked at: the wheel counts whole seconds.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Interval, options.Value.Time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                SweepAll();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private void SweepAll()
    {
        var now = options.Value.Time.GetTimestamp() / options.Value.Time.TimestampFrequency;
        foreach (var migration in snapshots.Current.Migrations)
        {
            if (migration.Errors.UnansweredAfter is not { } threshold)
            {
                continue;
            }

            // A request sent during second s is at most s + 1 old at the end of it: closing the
            // seconds up to now - threshold - 1 never counts a request younger than the threshold.
            var through = now - (long)Math.Ceiling(threshold.TotalSeconds) - 1;
            Sweep(migration, Side.Legacy, through, threshold);
            Sweep(migration, Side.Candidate, through, threshold);
        }
    }

    private void Sweep(MigrationModel migration, Side side, long through, TimeSpan threshold)
    {
        var counted = migration.Counters.Of(side).CountUnanswered(through);
        if (counted > 0)
        {
            faults.Record(migration.Name, side, $"had not begun to answer after {Duration.Format(threshold)} (counted as errors from then on)", null, (int)counted);
        }
    }
}
