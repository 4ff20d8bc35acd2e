using System.Net.ServerSentEvents;
using System.Text.Json;
using Cutover.Client.Setup;
using Cutover.Client.State;
using Cutover.Kernel.Link;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Client.Link;

/// <summary>
/// Keeps the <see cref="MigrationTable"/> in step with the control plane. On start, before the
/// application serves, it loads the cache file, so a restart without the control plane keeps its
/// decisions; then it follows the event stream (a snapshot of every migration first, then each
/// change as soon as the control plane sends it), writes every change to the cache file, and reconnects with
/// backoff whenever the stream drops. A migration nobody has said anything about stays on legacy.
/// </summary>
internal sealed partial class StateFollower(
    MigrationTable table, ControlPlaneLinkStatus status, IOptions<CutoverClientOptions> options, TimeProvider time, ILogger<StateFollower> logger)
    : BackgroundService
{
    private readonly StateCache? _cache = options.Value.CacheFile is { Length: > 0 } file ? new StateCache(file) : null;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        LoadCache();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ControlPlane is not { } controlPlane)
        {
            return;
        }

        using var connection = new ControlPlaneConnection(controlPlane, options.Value.CaFile, options.Value.Token);
        var backoff = new ReconnectBackoff(time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The stream opens with a snapshot of every migration, so the state is not listed
                // apart first: with a thousand migrations that list is a megabyte per application,
                // and a fleet of them reconnecting at once kept a control plane from answering.
                using var stream = await connection.OpenEventsAsync(stoppingToken);
                status.SetConnected(true);
                backoff.Reset();
                await FollowAsync(new SilentStreamGuard(await stream.Content.ReadAsStreamAsync(stoppingToken), SilentStreamGuard.DefaultLimit), stoppingToken);
                LogStreamEnded(logger, controlPlane);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong (unreachable, a dropped stream, an answer not understood), the
                // application goes on deciding on the table it has; a background service that threw
                // would stop the application's host.
                LogUnreachable(logger, controlPlane, e.Message);
            }
            finally
            {
                status.SetConnected(false);
            }

            status.Reconnecting();
            if (!await backoff.WaitAsync(stoppingToken))
            {
                return;
            }
        }
    }

    private async Task FollowAsync(Stream body, CancellationToken stoppingToken)
    {
        await foreach (var message in SseParser.Create(body).EnumerateAsync(stoppingToken))
        {
            switch (message.EventType)
            {
                case LinkEvents.Snapshot:
                    Replace(StateEvents.Settings(JsonSerializer.Deserialize<StateSnapshot>(message.Data, JsonSerializerOptions.Web)?.Migrations));
                    break;
                case LinkEvents.State when JsonSerializer.Deserialize<MigrationStateEvent>(message.Data, JsonSerializerOptions.Web) is { } state
                    && StateEvents.Setting(state) is { } setting:
                    if (table.Set(setting))
                    {
                        Changed();
                    }

                    break;
                default:
                    break;
            }
        }
    }

    private void Replace(IReadOnlyList<MigrationSetting> settings)
    {
        table.Replace(settings);
        Changed();
    }

    private void Changed()
    {
        status.StateChanged();
        if (_cache is null)
        {
            return;
        }

        try
        {
            _cache.Save(table.All);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            status.CacheFailed();
            LogCacheFailed(logger, options.Value.CacheFile!, e.Message);
        }
    }

    private void LoadCache()
    {
        try
        {
            if (_cache?.Load() is { } settings)
            {
                table.Replace(settings);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            status.CacheFailed();
            LogCacheFailed(logger, options.Value.CacheFile!, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cutover control plane {ControlPlane} cannot be reached ({Reason}); deciding on the last known state and trying again.")]
    private static partial void LogUnreachable(ILogger logger, Uri controlPlane, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cutover control plane {ControlPlane} closed the state stream; reconnecting.")]
    private static partial void LogStreamEnded(ILogger logger, Uri controlPlane);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cutover's state cache {CacheFile} could not be used ({Reason}); decisions go on from memory.")]
    private static partial void LogCacheFailed(ILogger logger, string cacheFile, string reason);
}
