using System.Security.Cryptography;
using Cutover.Core.Routing;
using Cutover.Kernel.Routing;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Routing;

/// <summary>
/// Reads a request's sticky key and turns it into a bucket. A request without its configured key
/// falls back to Cutover's own cookie; one without that either gets a fresh random id, which the
/// response sets as the cookie so the browser's next request lands on the same side.
/// </summary>
internal static class StickyKeyReader
{
    public static int Bucket(HttpContext context, MigrationModel migration)
    {
        var key = Read(context, migration.StickyBy);
        if (string.IsNullOrEmpty(key))
        {
            key = context.Request.Cookies[StickyKeySource.CutoverCookieName];
        }

        if (string.IsNullOrEmpty(key))
        {
            key = NewId();
            context.Features.Set(new IssuedStickyCookie(key));
        }

        return StickyBucket.Compute(migration.StickySeed, key);
    }

    private static string? Read(HttpContext context, StickyKeySource source) => source.Kind switch
    {
        StickyKeyKind.Header => context.Request.Headers[source.Name].ToString(),
        StickyKeyKind.NamedCookie => context.Request.Cookies[source.Name],
        StickyKeyKind.Query => context.Request.Query[source.Name].ToString(),
        StickyKeyKind.ClientIp => context.Connection.RemoteIpAddress?.ToString(),
        _ => null,
    };

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
