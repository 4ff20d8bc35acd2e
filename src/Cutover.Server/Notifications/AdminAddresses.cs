using Cutover.Core.Configuration;
using Cutover.Server.Settings;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Notifications;

/// <summary>
/// Where this process's admin API can be reached, which webhooks must not send to: the configured
/// address and, once the admin host listens, the addresses it is bound to (where a configured
/// port 0 has become a real one).
/// </summary>
internal static class AdminAddresses
{
    public static IReadOnlyList<Uri> Of(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<CutoverHostOptions>>().Value.AdminOf(services.GetRequiredService<CutoverDefinition>());
        var bound = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return [configured, .. bound.Select(address => Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>()];
    }
}
