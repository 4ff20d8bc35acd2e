using Cutover.Core.Configuration;
using Cutover.Server.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Shadow;

/// <summary>
/// Flushes shadow evidence to the store every <see cref="CutoverHostOptions.EvidenceFlushInterval"/>
/// and once more on shutdown, after the data plane has stopped and the shadow copies have drained. Loading the learned
/// noise first means a restarted proxy does not report known noise as divergence.
/// </summary>
internal sealed class EvidenceFlusher(EvidenceWriter writer, ShadowDispatcher dispatcher, CutoverDefinition definition, IOptions<CutoverHostOptions> options) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await dispatcher.DrainAsync();
        await writer.FlushAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await writer.LoadNoiseAsync(definition.Migrations.Select(m => m.Name), stoppingToken);
            while (true)
            {
                await Task.Delay(options.Value.EvidenceFlushInterval, options.Value.Time, stoppingToken);
                await writer.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync writes the last batch.
        }
    }
}
