using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cutover.Bench.Fleet;

/// <summary>
/// One <c>cutover serve</c> process on the shared store, with its own loopback data plane and
/// admin API; its output goes to a log file beside its config. Stopped by its id when disposed.
/// </summary>
internal sealed class Replica : IAsyncDisposable
{
    private readonly Process _process;

    private Replica(int index, Process process, Uri dataPlane, Uri admin, string log)
    {
        Index = index;
        _process = process;
        DataPlane = dataPlane;
        Admin = admin;
        Log = log;
    }

    public int Index { get; }

    public Uri DataPlane { get; }

    public Uri Admin { get; }

    public string Log { get; }

    public int Pid => _process.Id;

    /// <summary>Starts replica <paramref name="index"/> and waits until it is ready; <paramref name="adminConnections"/>, when given, is its <c>--max-admin-connections</c>.</summary>
    public static async Task<Replica> StartAsync(int index, string cutoverDll, string store, string migrationsYaml, string folder, int? adminConnections)
    {
        var dataPlane = new Uri($"http://127.0.0.1:{FreePort()}/");
        var admin = new Uri($"http://127.0.0.1:{FreePort()}/");
        var config = Path.Combine(folder, $"replica-{index}.yaml");
        var log = Path.Combine(folder, $"replica-{index}.log");
        await File.WriteAllTextAsync(config, $"""
            listen: {dataPlane.GetLeftPart(UriPartial.Authority)}
            admin: {admin.GetLeftPart(UriPartial.Authority)}
            store: "{store}"
            migrations:
            {migrationsYaml}
            """);
        // exec: the shell becomes dotnet, so the id started is the replica's own.
        var limit = adminConnections is { } n ? $" --max-admin-connections {n}" : string.Empty;
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"exec dotnet \"$0\" serve -c \"$1\"{limit} >\"$2\" 2>&1", cutoverDll, config, log])
        {
            UseShellExecute = false,
            Environment = { ["Logging__LogLevel__Default"] = "Warning", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
        };
        var replica = new Replica(index, Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), dataPlane, admin, log);
        await replica.WaitReadyAsync();
        return replica;
    }

    /// <summary>Resident memory of the process now, from /proc (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>CPU seconds the process has used so far (user and system), from /proc.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first, so the replica stops as a deployment would stop it (lease handed back, last metrics written).
            Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"replica {Index} exited during startup; see {Log}:{Environment.NewLine}{await File.ReadAllTextAsync(Log)}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Admin, "readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"replica {Index} was not ready on {Admin}readyz within 90 s; see {Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
