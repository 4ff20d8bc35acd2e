using System.Net;
using System.Net.Sockets;

namespace Cutover.Testing;

/// <summary>Loopback ports for tests of what happens when nothing answers.</summary>
public static class LoopbackPorts
{
    /// <summary>A loopback port that was free a moment ago and has nothing listening on it now.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
