// The backend of bench/proxy: answers every request (GET /orders/... and any other path) with the
// same small JSON body, so the benchmark measures the proxies and not the backend's work.
// Usage: dotnet Backend.dll --urls http://127.0.0.1:PORT [--delay-ms N] [--failable true]
//   --delay-ms N  holds every response N milliseconds (decimals allowed) before answering, without
//                 using the CPU while it waits, to stand in for a slower service: the "10× slower"
//                 candidate of run.sh's cutover-shadow-slow target. Default 0: no delay.
//   --failable true  the candidate of bench/rollback: POST /bench/fail makes every later request
//                 answer 503, GET /bench/stats says when the last request arrived (FailSwitch.cs).
//                 Off by default, so bench/proxy's backend answers on the same path as before.
//   --grpc true   bench/protocols' gRPC service: every request is answered as a unary gRPC call (the request
//                 message read and dropped, one small message back, grpc-status 0 in the trailers), without
//                 Grpc.AspNetCore's own work, so the proxies are measured and not a gRPC framework. Run it
//                 HTTP/2-only (h2c) with Kestrel__EndpointDefaults__Protocols=Http2.
// The delay is not Task.Delay: .NET's timers tick with the kernel's coarse clock (4 ms here, one
// jiffy), so Task.Delay(1 ms) and Task.Delay(2 ms) both take about 4.3 ms. A dedicated thread
// sleeps with usleep(3) (high-resolution, about 80 µs late) until the oldest response is due;
// all delays are equal, so due times come in arrival order and one FIFO queue suffices.
// Each response is released on its own, as a real slow service waiting on I/O would send it, so
// the delayed backend costs one extra thread wake-up per request: about 15–20 µs more CPU per
// request than the undelayed one on the 2-core test machine (Task.Delay's 4 ms ticks hide that
// by batching, at the price of an inexact delay). run.sh reports both backends' CPU per request.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json (Logging:LogLevel:Default=Warning) sits beside the dll; the script runs from the repo root.
    ContentRootPath = AppContext.BaseDirectory,
});

// --delay-ms arrives through the command-line configuration provider as the key "delay-ms".
var delayText = builder.Configuration["delay-ms"];
var delayMs = delayText is null ? 0 : double.Parse(delayText, CultureInfo.InvariantCulture);
if (delayMs < 0 || double.IsNaN(delayMs) || double.IsInfinity(delayMs))
{
    throw new ArgumentException($"--delay-ms must be 0 or more (got '{delayText}')");
}

var failSwitch = builder.Configuration.GetValue<bool>("failable") ? new FailSwitch() : null;
if (failSwitch is not null && delayMs > 0)
{
    throw new ArgumentException("--failable and --delay-ms cannot be combined");
}

var delayLine = delayMs > 0 ? new DelayLine(TimeSpan.FromMilliseconds(delayMs)) : null;
var grpc = builder.Configuration.GetValue<bool>("grpc");
if (grpc && (failSwitch is not null || delayLine is not null))
{
    throw new ArgumentException("--grpc cannot be combined with --failable or --delay-ms");
}

var app = builder.Build();
byte[] grpcFrame = GrpcFrame();

byte[] body = Encoding.UTF8.GetBytes(
    """{"id":"ord-000123","status":"shipped","currency":"EUR","total":42.50,"items":3,"customer":"c-0042"}""");

if (grpc)
{
    app.Run(WriteGrpcAsync);
}
else if (failSwitch is not null)
{
    app.Run(context => failSwitch.HandleAsync(context, WriteAsync));
}
else if (delayLine is null)
{
    app.Run(context => WriteAsync(context));
}
else
{
    app.Run(async context =>
    {
        await delayLine.WaitAsync();
        await WriteAsync(context);
    });
}

await app.RunAsync();

Task WriteAsync(HttpContext context)
{
    var response = context.Response;
    response.StatusCode = StatusCodes.Status200OK;
    response.ContentType = "application/json";
    response.ContentLength = body.Length;
    return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
}

// An Order message (id = 1, status = 2, currency = 3, as strings) in a gRPC frame: no compression
// flag, its length in 4 big-endian bytes, then the message.
static byte[] GrpcFrame()
{
    var message = new List<byte>();
    foreach (var (field, text) in new[] { (1, "ord-000123"), (2, "shipped"), (3, "EUR") })
    {
        message.Add((byte)(field << 3 | 2));
        message.Add((byte)text.Length);
        message.AddRange(Encoding.UTF8.GetBytes(text));
    }

    var frame = new byte[5 + message.Count];
    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), message.Count);
    message.CopyTo(frame, 5);
    return frame;
}

async Task WriteGrpcAsync(HttpContext context)
{
    // The request message is read to its end, as a gRPC service reads it, and dropped.
    await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
    var response = context.Response;
    response.StatusCode = StatusCodes.Status200OK;
    response.ContentType = "application/grpc";
    await response.Body.WriteAsync(grpcFrame, context.RequestAborted);
    response.AppendTrailer("grpc-status", "0");
}

/// <summary>Holds each caller for the same fixed time, released in arrival order by one sleeping thread.</summary>
internal sealed class DelayLine
{
    private readonly long _delayTicks;
    private readonly BlockingCollection<(long Due, TaskCompletionSource Done)> _line = new(new ConcurrentQueue<(long, TaskCompletionSource)>());

    public DelayLine(TimeSpan delay)
    {
        _delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
        new Thread(Run) { IsBackground = true, Name = "delay-line" }.Start();
    }

    /// <summary>Completes once the delay has passed; the continuation runs on the thread pool, not on the line's thread.</summary>
    public Task WaitAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _line.Add((Stopwatch.GetTimestamp() + _delayTicks, done));
        return done.Task;
    }

    private void Run()
    {
        foreach (var (due, done) in _line.GetConsumingEnumerable())
        {
            long wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                _ = Usleep((uint)(wait * 1_000_000 / Stopwatch.Frequency));
            }

            done.TrySetResult();
        }
    }

    [DllImport("libc", EntryPoint = "usleep")]
    private static extern int Usleep(uint microseconds);
}
