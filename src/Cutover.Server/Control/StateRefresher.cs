using Cutover.Server.Diagnostics;
using Cutover.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Control;

/// <summary>
/// Keeps this replica's routing in step with the shared store by reading it every
/// <see cref="CutoverHostOptions.StateRefreshInterval"/>: a rollback made through any replica
/// reaches all of them within that interval. A store that stops answering is logged once per
/// outage; traffic keeps flowing on the last known state.
/// </summary>
internal sealed class StateRefresher(MigrationControl control, CutoverHostOptions options, ILogger<StateRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.StateRefreshInterval, options.Time);
        var failing = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await control.RefreshAsync(stoppingToken);
                if (failing)
                {
                    CutoverLog.StoreBack(logger, control.Store.Description);
                    failing = false;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever the store did, this replica keeps routing on its last known state; say so once per outage.
                if (!failing)
                {
                    CutoverLog.StoreUnreachable(logger, control.Store.Description, e.Message);
                    failing = true;
                }
            }
        }
    }
}
