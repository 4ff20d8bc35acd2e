using Cutover.Server.Diagnostics;
using Cutover.Server.Settings;
using Cutover.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Rollout;

/// <summary>
/// Looks at every plan at each tick (a quarter of a second by default): fast enough that a
/// trigger fires within a tick of its duration, cheap because a look reads in-memory metrics.
/// Of several replicas on one store only the holder of the store's <c>orchestrator</c> lease
/// looks, so a step is taken, a smoke test run and a webhook sent once; when the holder dies
/// another replica takes over within <see cref="CutoverHostOptions.OrchestratorLease"/>.
/// </summary>
internal sealed class RolloutOrchestrator(RolloutControl rollouts, ILeaseStore store, IOptions<CutoverHostOptions> options, ILogger<RolloutOrchestrator> logger)
    : BackgroundService
{
    private const string Lease = "orchestrator";

    private bool _leading;
    private DateTimeOffset _renewAfter;
    private DateTimeOffset _heldUntil;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Value.RolloutTick, options.Value.Time, stoppingToken);
                if (!await LeadsAsync(stoppingToken))
                {
                    continue;
                }

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

    /// <summary>Hands the lease back on the way out, so another replica runs the plans at once instead of after the lease's term.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_leading)
        {
            try
            {
                await store.ReleaseLeaseAsync(Lease, options.Value.Replica, cancellationToken);
            }
            catch (StoreUnavailableException)
            {
                // It expires by itself after its term.
            }
        }
    }

    /// <summary>
    /// Whether this replica runs the plans now. The holder renews the lease a third of the way
    /// through its term; the others ask as often, so one takes over within a term and a third of
    /// the holder's death (at once after <see cref="StopAsync"/>, within a third).
    /// </summary>
    private async Task<bool> LeadsAsync(CancellationToken cancellationToken)
    {
        var now = options.Value.Time.GetUtcNow();
        if (now < _renewAfter)
        {
            return _leading;
        }

        try
        {
            var held = await store.TryLeaseAsync(Lease, options.Value.Replica, options.Value.OrchestratorLease, cancellationToken);
            if (held && !_leading)
            {
                await rollouts.TakeOverAsync(cancellationToken);
                CutoverLog.LeaseTaken(logger, options.Value.Replica);
            }
            else if (!held && _leading)
            {
                CutoverLog.LeaseLost(logger, options.Value.Replica, "another replica holds the lease");
            }

            _leading = held;
            _renewAfter = now + (options.Value.OrchestratorLease / 3);
            _heldUntil = now + options.Value.OrchestratorLease;
        }
        catch (StoreUnavailableException e) when (_leading && now >= _heldUntil)
        {
            _leading = false;
            CutoverLog.LeaseLost(logger, options.Value.Replica, e.Message);
        }
        catch (StoreUnavailableException)
        {
            // Still within the term: nobody else can have taken the lease yet.
        }

        return _leading;
    }
}
