// A rate-limited HTTP/1.1 load generator (wrk2's model, kept simple):
//   - `connections` workers, each owning one connection's worth of the schedule; request j is due at
//     start + j / rate and worker (j mod connections) sends it, so the offered rate is fixed.
//   - a worker waits for its response before its next request (at most `connections` in flight, like
//     wrk -c); when it falls behind it sends the next one at once and the lateness shows up in the
//     "corrected" latency (measured from the due time, against coordinated omission).
//   - every latency is kept (no sampling); percentiles are exact, by nearest rank.
// Each request carries a varying X-User-Id, like bench/proxy/users.lua, so sticky routing really runs.
// Usage: LoadGen --url URL --rate N [--duration 10] [--warmup 2] [--connections 32] [--timeout 10]
// Prints one machine-readable line starting with "LOADGEN " (times in microseconds), with the moment
// the last failed request ended (last_error_unix_ms, Unix milliseconds; 0 without errors): bench/rollback
// sets it against the moment its candidate started failing.
using System.Diagnostics;
using System.Globalization;
using System.Net;

var options = Options.Parse(args);

using var handler = new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    MaxConnectionsPerServer = options.Connections,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    ConnectTimeout = TimeSpan.FromSeconds(5),
};
using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };

if (options.WarmupSeconds > 0)
{
    _ = await Phase.RunAsync(client, options, options.WarmupSeconds).ConfigureAwait(false);
}

var result = await Phase.RunAsync(client, options, options.DurationSeconds).ConfigureAwait(false);
Console.WriteLine(result.Format(options));
return result.Errors == 0 && result.Completed > 0 ? 0 : 2;

internal sealed record Options(Uri Url, double Rate, double DurationSeconds, double WarmupSeconds, int Connections, double TimeoutSeconds)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'; usage: --url URL --rate N [--duration S] [--warmup S] [--connections N] [--timeout S]");
            }

            values[args[i][2..]] = args[++i];
        }

        double Number(string name, double fallback) =>
            values.TryGetValue(name, out var text) ? double.Parse(text.TrimEnd('s'), CultureInfo.InvariantCulture) : fallback;

        var url = values.TryGetValue("url", out var u) ? new Uri(u) : throw new ArgumentException("--url is required");
        var options = new Options(url, Number("rate", 0), Number("duration", 10), Number("warmup", 2), (int)Number("connections", 32), Number("timeout", 10));
        if (options.Rate <= 0 || options.DurationSeconds <= 0 || options.Connections <= 0)
        {
            throw new ArgumentException("--rate, --duration and --connections must be positive");
        }

        return options;
    }
}

internal sealed class Phase
{
    private readonly HttpClient client;
    private readonly Options options;
    private readonly long start;
    private readonly long total;
    private readonly double ticksPerRequest;
    private long errors;

    private Phase(HttpClient client, Options options, double seconds)
    {
        this.client = client;
        this.options = options;
        total = Math.Max(1, (long)Math.Round(options.Rate * seconds));
        ticksPerRequest = Stopwatch.Frequency / options.Rate;
        start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100; // 10 ms to get the workers going
    }

    public static async Task<Result> RunAsync(HttpClient client, Options options, double seconds)
    {
        var phase = new Phase(client, options, seconds);
        var workers = new Task<Samples>[options.Connections];
        for (int k = 0; k < workers.Length; k++)
        {
            int worker = k;
            workers[k] = Task.Run(() => phase.WorkerAsync(worker));
        }

        var samples = await Task.WhenAll(workers).ConfigureAwait(false);
        return Result.From(samples, phase.errors, phase.total, phase.start);
    }

    private async Task<Samples> WorkerAsync(int worker)
    {
        var samples = new Samples((int)(total / options.Connections) + 1);
        for (long j = worker; j < total; j += options.Connections)
        {
            long due = start + (long)(j * ticksPerRequest);
            long wait = due - Stopwatch.GetTimestamp();
            // Task.Delay has millisecond resolution: sleep while at least 1 ms early, then send.
            while (wait >= Stopwatch.Frequency / 1000)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Floor(wait * 1000.0 / Stopwatch.Frequency))).ConfigureAwait(false);
                wait = due - Stopwatch.GetTimestamp();
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Url, "/orders/" + (j % 1000).ToString(CultureInfo.InvariantCulture)));
            request.Headers.TryAddWithoutValidation("X-User-Id", "lg-" + (j % 10000).ToString(CultureInfo.InvariantCulture));
            long sent = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                ok = response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                ok = false;
            }

            long done = Stopwatch.GetTimestamp();
            if (!ok)
            {
                Interlocked.Increment(ref errors);
                samples.AddError(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                continue;
            }

            samples.Add(done - sent, done - Math.Min(due, sent), done);
        }

        return samples;
    }
}

internal sealed class Samples(int capacity)
{
    public List<long> Service { get; } = new(capacity);
    public List<long> Corrected { get; } = new(capacity);
    public long LastDone { get; private set; }
    public long LastErrorUnixMs { get; private set; }

    public void Add(long service, long corrected, long done)
    {
        Service.Add(service);
        Corrected.Add(corrected);
        LastDone = Math.Max(LastDone, done);
    }

    public void AddError(long unixMs) => LastErrorUnixMs = Math.Max(LastErrorUnixMs, unixMs);
}

internal sealed record Result(long Completed, long Errors, long Offered, double Seconds, long[] Service, long[] Corrected, long LastErrorUnixMs)
{
    public static Result From(Samples[] samples, long errors, long offered, long start)
    {
        var service = samples.SelectMany(s => s.Service).ToArray();
        var corrected = samples.SelectMany(s => s.Corrected).ToArray();
        Array.Sort(service);
        Array.Sort(corrected);
        long end = samples.Max(s => s.LastDone);
        double seconds = Math.Max(1e-9, (end - start) / (double)Stopwatch.Frequency);
        return new Result(service.Length, errors, offered, seconds, service, corrected, samples.Max(s => s.LastErrorUnixMs));
    }

    public string Format(Options options)
    {
        static long Us(long[] sorted, double q) =>
            sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)] * 1_000_000 / Stopwatch.Frequency;

        return string.Create(CultureInfo.InvariantCulture,
            $"LOADGEN target_rps={options.Rate:F0} achieved_rps={Completed / Seconds:F0} requests={Completed} errors={Errors} " +
            $"p50_us={Us(Service, 0.50)} p90_us={Us(Service, 0.90)} p99_us={Us(Service, 0.99)} p999_us={Us(Service, 0.999)} max_us={Us(Service, 1.0)} " +
            $"corrected_p50_us={Us(Corrected, 0.50)} corrected_p99_us={Us(Corrected, 0.99)} corrected_max_us={Us(Corrected, 1.0)} " +
            $"last_error_unix_ms={LastErrorUnixMs}");
    }
}
