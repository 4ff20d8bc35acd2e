using Cutover.Server.Diagnostics;
using Cutover.Server.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Security;

/// <summary>
/// Reloads the admin tokens from the store every <see cref="CutoverHostOptions.TokenRefreshInterval"/>,
/// so a token made or revoked through any replica, or straight on the store, counts here within
/// that interval. A store that stops answering keeps the tokens read last in force, logged once per outage.
/// </summary>
internal sealed class TokenRefresher(TokenRegistry tokens, IOptions<CutoverHostOptions> options, ILogger<TokenRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.TokenRefreshInterval, options.Value.Time, stoppingToken);
                await tokens.RefreshAsync(stoppingToken);
                if (failing)
                {
                    CutoverLog.TokensReadAgain(logger, tokens.Store.Description);
                    failing = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!failing)
            {
                CutoverLog.TokensUnreadable(logger, tokens.Store.Description, e.Message);
                failing = true;
            }
            catch (Exception)
            {
                // Already said for this outage; the next interval tries again.
            }
        }
    }
}
