using Cutover.Server.Diagnostics;
using Cutover.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Rollout;

/// <summary>
/// Looks at every plan at each tick (a quarter of a second by default): fast enough that a
/// trigger fires within a tick of its duration, cheap because a look reads in-memory metrics.
/// </summary>
internal sealed class RolloutOrchestrator(RolloutControl rollouts, CutoverHostOptions options, ILogger<RolloutOrchestrator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.RolloutTick, options.Time, stoppingToken);
                try
                {
                    await rollouts.TickAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    CutoverLog.RolloutTickFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}
