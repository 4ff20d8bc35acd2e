using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Cutover.Testing;

/// <summary>Loopback ports for tests of what happens when nothing answers.</summary>
public static class LoopbackPorts
{
    // Held for the life of the test process: bound, never listening.
    private static readonly ConcurrentBag<Socket> Held = [];

    /// <summary>A loopback port that was free a moment ago and has nothing listening on it now; a test may start something on it.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A loopback port that refuses every connection for the rest of the test run: bound and never
    /// listening, so no backend another test starts meanwhile can be given it (a port merely closed
    /// a moment ago can be, and then answers).
    /// </summary>
    public static int Refusing()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ExclusiveAddressUse = true };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Held.Add(socket);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
