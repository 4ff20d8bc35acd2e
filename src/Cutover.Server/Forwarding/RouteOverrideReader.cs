using Cutover.Core.Routing;
using Cutover.Kernel.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cutover.Server.Forwarding;

/// <summary>
/// Reads a tester's route override off a request of a migration that has one. The header (the
/// override's own and the secret's) never reaches a backend nor a shadow copy: it is removed
/// from the request here, whatever it said. A request that asks for a side it may not have is
/// routed as usual and counted as ignored, so a typo or a wrong secret shows in the metrics
/// rather than as an error the tester would have to tell from a backend's.
/// </summary>
internal static class RouteOverrideReader
{
    /// <summary>The side the request is forced to, or null to route it as the migration decides.</summary>
    public static Side? Read(HttpContext context, MigrationModel migration, RouteOverride routeOverride, ForwardedHeaders forwarded)
    {
        var headers = context.Request.Headers;
        string? asked = null;
        if (routeOverride.Header is { } header && headers.TryGetValue(header, out var value))
        {
            asked = value.ToString();
            headers.Remove(header);
        }

        var secret = StringValues.Empty;
        if (headers.TryGetValue(RouteOverride.SecretHeader, out secret))
        {
            headers.Remove(RouteOverride.SecretHeader);
        }

        if (asked is null && routeOverride.Cookie is { } cookie)
        {
            asked = context.Request.Cookies[cookie];
        }

        if (asked is null)
        {
            return null;
        }

        // Retired: legacy may be switched off already, and the candidate serves everyone anyway.
        if (migration.Mode == MigrationMode.Retired
            || !RouteOverride.TryParseSide(asked, out var side)
            || !routeOverride.Admits(forwarded.ClientOf(context))
            || !routeOverride.SecretMatches(secret.Count == 1 ? secret[0] : null))
        {
            migration.Counters.Overrides.RecordIgnored();
            return null;
        }

        return side;
    }
}
