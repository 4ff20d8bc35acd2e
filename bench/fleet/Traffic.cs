using System.Diagnostics;

namespace Cutover.Bench.Fleet;

/// <summary>
/// Light traffic on every migration through every replica's data plane (the n-th request to
/// migration n mod M, through replica (n div M) mod R), at a fixed rate by a few workers, until
/// stopped; and the data-plane check that a weight change really moved a migration's split.
/// </summary>
internal sealed class Traffic : IAsyncDisposable
{
    private const int Workers = 4;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private long _sent;
    private long _failed;

    public Traffic(IReadOnlyList<Replica> replicas, int migrations, int rate)
    {
        _running = Task.WhenAll(Enumerable.Range(0, Workers).Select(w => RunAsync(replicas, migrations, rate, w)));
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The path prefix of the i-th migration (from 1), as the generated config matches it.</summary>
    public static string Name(int i) => $"m-{i:0000}";

    /// <summary>
    /// Sends one request for each of <paramref name="users"/> sticky user ids to <paramref name="migration"/>
    /// through <paramref name="replica"/>'s data plane; returns the share that reached the candidate, in percent.
    /// </summary>
    public async Task<double> CandidateShareAsync(Replica replica, string migration, int users)
    {
        var candidate = 0;
        for (var u = 0; u < users; u++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(replica.DataPlane, $"/{migration}/check"));
            request.Headers.Add("X-User-Id", $"check-{u}");
            using var response = await _http.SendAsync(request);
            if (await response.Content.ReadAsStringAsync() == "candidate")
            {
                candidate++;
            }
        }

        return 100.0 * candidate / users;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(IReadOnlyList<Replica> replicas, int migrations, int rate, int worker)
    {
        var every = TimeSpan.FromSeconds(Workers / (double)rate);
        var clock = Stopwatch.StartNew();
        for (long k = 0; !_stop.IsCancellationRequested; k++)
        {
            var n = k * Workers + worker;
            var replica = replicas[(int)(n / migrations % replicas.Count)];
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(replica.DataPlane, $"/{Name((int)(n % migrations) + 1)}/orders/{n}"));
            request.Headers.Add("X-User-Id", $"user-{n % 5000}");
            try
            {
                using var response = await _http.SendAsync(request, _stop.Token);
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _sent : ref _failed);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _failed);
            }

            var due = every * (k + 1) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
