using System.Net;
using System.Net.Sockets;

namespace Cutover.Server.Tests.Infrastructure;

/// <summary>
/// A server that speaks nothing but HTTP/2 frames, as an h2c-only server other than Kestrel does
/// (gRPC servers in Go, say): to whatever arrives it writes its SETTINGS and a GOAWAY, then closes.
/// </summary>
public sealed class Http2OnlySpeaker : IDisposable
{
    // An empty SETTINGS frame (the server's preface), then GOAWAY with last stream 0 and PROTOCOL_ERROR.
    private static readonly byte[] Frames =
    [
        0, 0, 0, 0x4, 0, 0, 0, 0, 0,
        0, 0, 8, 0x7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1,
    ];

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    private Http2OnlySpeaker(TcpListener listener)
    {
        _listener = listener;
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static Http2OnlySpeaker Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Http2OnlySpeaker(listener);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                _ = await stream.ReadAsync(new byte[4096], _stop.Token);
                await stream.WriteAsync(Frames, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
        {
            // Stopped, or a client left early: nothing to serve.
        }
    }
}
