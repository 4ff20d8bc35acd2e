using System.Reflection;
using Cutover.Client.Reporting;
using Cutover.Client.Setup;
using Cutover.Client.State;
using Cutover.Kernel.Link;
using Cutover.Kernel.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Client.Link;

/// <summary>
/// Every <see cref="CutoverClientOptions.ReportInterval"/>, sends what the SDK counted since the
/// last report, with the divergence samples it kept (a bounded batch, see <see cref="SampleDrain"/>),
/// in one <c>POST /api/results</c>, so the control plane's plans, gates and triggers
/// judge a code-level migration as they judge a proxied one. Runs beside the application, never
/// in its calls: a report that cannot be sent is dropped and counted in
/// <see cref="ControlPlaneLinkStatus"/>, and nothing piles up while the control plane is down.
/// Counts and samples of a migration the control plane does not know are dropped the same way.
/// </summary>
internal sealed partial class ResultsReporter(
    MetricsRegistry metrics, DivergenceSampleBuffer samples, MigrationTable table, ControlPlaneLinkStatus status, IOptions<CutoverClientOptions> options, TimeProvider time, ILogger<ResultsReporter> logger)
    : BackgroundService
{
    private readonly ResultDeltas _deltas = new(metrics);
    private readonly SampleDrain _samples = new(samples);
    private readonly string _app = options.Value.App is { Length: > 0 } app ? app : Assembly.GetEntryAssembly()?.GetName().Name ?? "application";
    private ControlPlaneConnection? _connection;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ControlPlane is not { } controlPlane)
        {
            return;
        }

        using var connection = _connection = new ControlPlaneConnection(controlPlane, options.Value.CaFile, options.Value.Token);
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReportAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: one last report, so the calls of the last interval are not lost with the
            // process; like every call it gives up after ControlPlaneConnection.CallTimeout.
            await ReportAsync(CancellationToken.None);
        }
    }

    /// <summary>Sends one report of everything counted since the last one, if anything was.</summary>
    internal async Task ReportAsync(CancellationToken cancellationToken)
    {
        var (results, calls) = _deltas.Take(Known, out var unknown);
        status.CallsNotReported(unknown);
        var kept = _samples.Take(Known, out var lost);
        status.SamplesNotReported(lost);
        if ((results.Count == 0 && kept.Count == 0) || _connection is not { } connection)
        {
            return;
        }

        try
        {
            await connection.PostResultsAsync(new ResultsReport(_app, results, kept), cancellationToken);
            status.ReportSent(kept.Count);
            _failing = false;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Unreachable, too slow or refused: the report is dropped, never retried or kept.
            status.ReportDropped(calls, kept.Count);
            if (!_failing)
            {
                _failing = true;
                LogReportDropped(logger, options.Value.ControlPlane!, e.Message);
            }
        }
    }

    private bool Known(string migration) => table.Find(migration) is not null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cutover control plane {ControlPlane} did not take the SDK's results ({Reason}); they are dropped and counted until it does.")]
    private static partial void LogReportDropped(ILogger logger, Uri controlPlane, string reason);
}
