using Cutover.Core.Configuration;
using Cutover.Server.Hosting;
using Microsoft.Extensions.Hosting;

namespace Cutover.Server.Shadow;

/// <summary>
/// Flushes shadow evidence to the store every <see cref="CutoverHostOptions.EvidenceFlushInterval"/>
/// and once more on shutdown, after the data plane's copies have drained. Loading the learned
/// noise first means a restarted proxy does not report known noise as divergence.
/// </summary>
internal sealed class EvidenceFlusher(EvidenceWriter writer, CutoverDefinition definition, CutoverHostOptions options) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await writer.FlushAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await writer.LoadNoiseAsync(definition.Migrations.Select(m => m.Name), stoppingToken);
            while (true)
            {
                await Task.Delay(options.EvidenceFlushInterval, options.Time, stoppingToken);
                await writer.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync writes the last batch.
        }
    }
}
