using Cutover.Core.Configuration;
using Cutover.Core.Security;
using Cutover.Server.Control;
using Cutover.Server.Diagnostics;
using Cutover.Server.Security;
using Cutover.Server.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Hosting;

/// <summary>
/// Readies Cutover before anything of it runs: the first hosted service <c>AddCutover</c>
/// registers, so it starts before Cutover's background services and before the host's server
/// listens. It opens the store and loads the state (<see cref="MigrationControl.StartAsync"/>),
/// and with tokens reads them, so the admin API's first call is judged on them, and says so when
/// there are none; each backend whose certificate is not checked gets a warning. A store that cannot be used fails the host's start instead of half-serving.
/// </summary>
internal sealed class CutoverStartup(
    MigrationControl control, CutoverDefinition definition, IServiceProvider services, IOptions<CutoverHostOptions> options, ILogger<CutoverHost> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await control.StartAsync(cancellationToken);
        foreach (var backend in InsecureBackends.Of(definition))
        {
            CutoverLog.BackendUnverified(logger, backend, InsecureBackends.Risk);
        }

        if (definition.AdminAuth != AdminAuthMode.Tokens)
        {
            return;
        }

        var tokens = services.GetRequiredService<TokenRegistry>();
        await tokens.RefreshAsync(cancellationToken);
        if (tokens.Count == 0)
        {
            CutoverLog.NoTokens(logger, control.Store.Description);
        }

        var address = options.Value.AdminOf(definition);
        if (address.Scheme == Uri.UriSchemeHttp && !LoopbackAddress.Is(address))
        {
            CutoverLog.AdminInClear(logger, address.ToString());
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
