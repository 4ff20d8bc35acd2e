using Cutover.Kernel.Routing;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Forwarding;

/// <summary>
/// The <c>Cutover-Side</c> response header of a migration with <c>sideHeader: true</c>: which side
/// served the answer, so a tester or a log line can tell. Written by Cutover over any header of
/// that name a backend sent, so a backend cannot claim to be the other side.
/// </summary>
internal static class SideHeader
{
    /// <summary>The header's name.</summary>
    public const string Name = "Cutover-Side";

    /// <summary>Names <paramref name="side"/> on a response that has not started.</summary>
    public static void Write(HttpResponse response, Side side)
    {
        if (!response.HasStarted)
        {
            response.Headers[Name] = side.ToWire();
        }
    }
}
