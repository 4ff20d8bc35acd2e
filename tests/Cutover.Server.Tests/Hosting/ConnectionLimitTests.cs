using System.Net;
using System.Net.Sockets;
using System.Text;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Hosting;

[Collection(MeasuresProcessMemory.Name)]
public class ConnectionLimitTests
{
    private const int Limit = 50;
    private const int Flood = 300;

    [Fact]
    public async Task DataPlane_FloodOfIdleConnectionsPastItsLimit_RefusesTheRestAndKeepsServingUsers()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(),
            options: new CutoverHostOptions { MaxConnections = Limit, RequestHeadersTimeout = TimeSpan.FromMinutes(1) });
        using var user = await proxy.Proxy.GetAsync(new Uri("/orders/1", UriKind.Relative));
        user.EnsureSuccessStatusCode();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        var flood = new List<TcpClient>();
        try
        {
            for (var i = 0; i < Flood; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, proxy.Host.DataPlaneAddress.Port);
                flood.Add(client);
            }

            var closed = await Task.WhenAll(flood.Select(client => ClosedWithinAsync(client, TimeSpan.FromSeconds(5))));
            for (var i = 0; i < 20; i++)
            {
                using var served = await proxy.Proxy.GetAsync(new Uri($"/orders/{i}", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            }

            // The user's connection holds one of the 50 places, so the flood gets at most 49.
            Assert.InRange(closed.Count(c => c), Flood - Limit + 1, Flood);
        }
        finally
        {
            flood.ForEach(client => client.Dispose());
        }

        using var fresh = new HttpClient { BaseAddress = proxy.Host.DataPlaneAddress };
        using var after = await fresh.GetAsync(new Uri("/orders/after", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.InRange(GC.GetTotalMemory(forceFullCollection: true) - memoryBefore, long.MinValue, 20 * 1024 * 1024);
    }

    [Fact]
    public async Task DataPlane_ClientDribblingHeaders_IsDroppedAfterTheHeadersTimeout()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(),
            options: new CutoverHostOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Host.DataPlaneAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /orders/1 HTTP/1.1\r\nHost: localhost\r\n"));

        var dropped = false;
        for (var line = 0; line < 60 && !dropped; line++)
        {
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"X-Slow-{line}: 1\r\n"));
                await Task.Delay(250);
                dropped = client.Client.Poll(0, SelectMode.SelectRead);
            }
            catch (IOException)
            {
                dropped = true;
            }
        }

        Assert.True(dropped, "the connection was still open after 15 s of dribbled headers");
    }

    [Fact]
    public async Task StartAsync_ZeroConnections_FailsNamingTheSettingAndTheDefault()
    {
        var problem = await Assert.ThrowsAsync<ArgumentException>(() => ProxyUnderTest.StartAsync(
            "  []", options: new CutoverHostOptions { MaxConnections = 0, MaxAdminConnections = -1, RequestHeadersTimeout = TimeSpan.Zero }));

        Assert.Contains("CutoverHostOptions.MaxConnections is 0: it must be at least 1; leave it unset for the default", problem.Message, StringComparison.Ordinal);
        Assert.Contains("CutoverHostOptions.MaxAdminConnections is -1: it must be at least 1 (the default is 256)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("CutoverHostOptions.RequestHeadersTimeout is 00:00:00: it must be more than zero (the default is 10 s)", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20000, 4872)]
    [InlineData(1024, 128)]
    [InlineData(560, ConnectionLimits.Least)]
    public void Of_OpenFileLimit_DerivesTheDataPlaneDefaultFromIt(long openFiles, int expected)
    {
        var limits = ConnectionLimits.Of(new CutoverHostOptions(), openFiles);

        Assert.Equal(expected, limits.DataPlane);
        Assert.Equal(CutoverHostOptions.DefaultMaxAdminConnections, limits.Admin);
    }

    [Fact]
    public void Of_UnknownOpenFileLimit_UsesTheFallback() =>
        Assert.Equal(ConnectionLimits.Fallback, ConnectionLimits.Of(new CutoverHostOptions(), openFiles: null).DataPlane);

    [Theory]
    [InlineData("Max open files            20000                20000                files     \n", 20000L)]
    [InlineData("Max open files            unlimited            unlimited            files     \n", null)]
    [InlineData("Max processes             63704                63704                processes \n", null)]
    public void OpenFilesIn_ProcLimits_ReadsTheSoftLimit(string limits, long? expected) =>
        Assert.Equal(expected, ConnectionLimits.OpenFilesIn("Limit                     Soft Limit           Hard Limit           Units     \n" + limits));

    /// <summary>Whether the server closed (or reset) the connection within <paramref name="wait"/>, rather than holding it.</summary>
    private static async Task<bool> ClosedWithinAsync(TcpClient client, TimeSpan wait)
    {
        using var deadline = new CancellationTokenSource(wait);
        try
        {
            return await client.GetStream().ReadAsync(new byte[1], deadline.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
