/// <summary>
/// The candidate of bench/rollback: a backend that can be told to start failing, and that says
/// when it last received a request. <c>POST /bench/fail</c> makes every later request answer 503
/// and returns the moment it flipped; <c>GET /bench/stats</c> returns the counts and the
/// moment of the last request. Times are Unix milliseconds of the machine's clock, the clock
/// Cutover's admin API and the run script read too, so the three can be set against each other.
/// The /bench/ paths are not counted as requests: only what the proxy forwards is.
/// </summary>
internal sealed class FailSwitch
{
    private long _requests;
    private long _failed;
    private long _lastRequestUnixMs;
    private long _failingSinceUnixMs;

    /// <summary>Answers one request: the control paths, or a forwarded request (503 once failing).</summary>
    public Task HandleAsync(HttpContext context, Func<HttpContext, Task> answer)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/bench/fail") && HttpMethods.IsPost(context.Request.Method))
        {
            Interlocked.CompareExchange(ref _failingSinceUnixMs, NowUnixMs(), 0);
            return context.Response.WriteAsJsonAsync(new { failingSinceUnixMs = Interlocked.Read(ref _failingSinceUnixMs) });
        }

        if (path.StartsWithSegments("/bench/stats"))
        {
            return context.Response.WriteAsJsonAsync(new
            {
                requests = Interlocked.Read(ref _requests),
                failed = Interlocked.Read(ref _failed),
                lastRequestUnixMs = Interlocked.Read(ref _lastRequestUnixMs),
                failingSinceUnixMs = Interlocked.Read(ref _failingSinceUnixMs),
            });
        }

        var now = NowUnixMs();
        Interlocked.Increment(ref _requests);
        InterlockedMax(ref _lastRequestUnixMs, now);
        if (Interlocked.Read(ref _failingSinceUnixMs) == 0)
        {
            return answer(context);
        }

        Interlocked.Increment(ref _failed);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsync("""{"error":"failing on purpose (bench/rollback)"}""");
    }

    private static long NowUnixMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
