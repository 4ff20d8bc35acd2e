using Cutover.Server.Diagnostics;
using Cutover.Server.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Control;

/// <summary>
/// Keeps this replica's routing in step with the shared store: it re-reads the store as soon as
/// the store reports a change (PostgreSQL's notifications) and at least every
/// <see cref="CutoverHostOptions.StateRefreshInterval"/>, so a rollback made through any replica
/// reaches all of them at once on PostgreSQL and within that interval on SQLite. A store that stops answering is logged once per
/// outage; traffic keeps flowing on the last known state.
/// </summary>
internal sealed class StateRefresher(MigrationControl control, IOptions<CutoverHostOptions> options, ILogger<StateRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await control.Store.WaitForChangeAsync(options.Value.StateRefreshInterval, stoppingToken);
                await control.RefreshAsync(stoppingToken);
                if (failing)
                {
                    CutoverLog.StoreBack(logger, control.Store.Description);
                    failing = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever the store did, this replica keeps routing on its last known state; say so once per outage.
                if (!failing)
                {
                    CutoverLog.StoreUnreachable(logger, control.Store.Description, e.Message);
                    failing = true;
                }

                // Back off before retrying; cancelled on shutdown, which ends the service quietly.
                await Task.Delay(options.Value.StateRefreshInterval, options.Value.Time, stoppingToken);
            }
        }
    }
}
