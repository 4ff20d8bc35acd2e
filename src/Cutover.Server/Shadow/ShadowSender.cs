using System.Diagnostics;
using System.Globalization;
using Cutover.Core.Comparison;
using Cutover.Core.Routing;
using Cutover.Core.Shadow;
using Cutover.Kernel.Timing;
using Cutover.Server.Outbound;
using Cutover.Server.Telemetry;

namespace Cutover.Server.Shadow;

/// <summary>
/// Does the work of one copy, off the request path: sends it to the candidate (and, with a
/// noise probe, to legacy again), captures the answers within the migration's limits, learns
/// noise, compares, and records the outcome. A candidate that hangs, resets or answers with too
/// much is cut off by the timeout or the size limit and counted as a candidate error.
/// </summary>
internal sealed class ShadowSender(BackendClients clients, ShadowEvidence evidence, TimeProvider time)
{
    /// <summary>Sent with every copy so a backend can tell it apart from a user's request (and, say, not send the e-mail twice).</summary>
    public const string ShadowHeader = "X-Cutover-Shadow";

    private static readonly HashSet<string> NotResent = new(
        ["Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Host", "Content-Length", "Expect"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Sends the target byte for byte, as legacy got it: without it, <see cref="Uri"/> unescapes and re-escapes parts of the path.</summary>
    private static readonly UriCreationOptions AsGiven = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>Whether a request header is sent again with a copy; hop-by-hop headers belong to one connection only.</summary>
    public static bool IsResent(string name) => !NotResent.Contains(name);

    /// <summary>Sends one copy and records what came of it.</summary>
    public async Task SendAsync(ShadowCopy copy, CancellationToken stopping)
    {
        var model = copy.Migration;
        using var activity = ProxyActivity.StartShadow(model, copy.Trace);
        var policy = model.Shadow;
        var counters = model.Counters.Shadow;
        using var deadline = IoDeadline.After(policy.Timeout, stopping);
        var candidateTask = ExchangeAsync(copy, model.CandidatePrefix, model.Backends.Candidate, deadline.Token);
        var probeTask = policy.NoiseProbe ? ExchangeAsync(copy, model.LegacyPrefix, model.Backends.Legacy, deadline.Token) : null;
        var candidate = await candidateTask;
        var probe = probeTask is null ? null : await probeTask;
        stopping.ThrowIfCancellationRequested();

        var noise = evidence.NoiseOf(model.Name);
        var ledger = evidence.LedgerOf(model.Name);
        if (probe?.Response is { Truncated: false } second && !copy.Legacy.Truncated)
        {
            var learned = noise.Learn(copy.Endpoint, ResponseComparer.Compare(copy.Legacy, second, model.Compare, copy.GrpcMethod));
            if (learned.Count > 0)
            {
                ledger.AddNoise(copy.Endpoint, learned, copy.Time);
            }
        }

        if (candidate.Response is not { } answer)
        {
            counters.RecordCandidateError(candidate.Error!);
            return;
        }

        if (answer.Truncated && !copy.Legacy.Truncated)
        {
            counters.RecordCandidateError(string.Create(CultureInfo.InvariantCulture,
                $"{copy.Endpoint}: the answer was longer than shadow.maxResponseBytes ({policy.MaxResponseBytes} bytes) and was cut off"));
            return;
        }

        var comparison = ResponseComparer.Compare(copy.Legacy, answer, noise.RulesFor(copy.Endpoint, model.Compare), copy.GrpcMethod);
        var (endpoint, path, wantsSample) = ledger.Record(copy.Endpoint, comparison, copy.Time);
        if (wantsSample)
        {
            ledger.AddSample(SampleBuilder.Build(copy, answer, candidate.Latency, comparison, endpoint, path));
        }

        // Counted last, so a pair counted as compared is already in the ledger: a reader that sees the count and flushes gets its evidence.
        counters.RecordCompared(comparison.IsEqual);
    }

    private async Task<Exchange> ExchangeAsync(ShadowCopy copy, string prefix, BackendSettings backend, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            using var request = Request(copy, prefix).Speaking(backend.Protocol);
            using var response = await clients.For(backend).SendAsync(request, cancellationToken);
            var (body, truncated) = await ReadAsync(response.Content, copy.Migration.Shadow.MaxResponseBytes, cancellationToken);
            var captured = new CapturedResponse((int)response.StatusCode, Headers(response), body, truncated) { Trailers = Trailers(response) };
            return new Exchange(captured, time.GetElapsedTime(started), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Failed(copy, $"no full answer within shadow.timeout ({copy.Migration.Shadow.Timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms)");
        }
        catch (HttpRequestException e) when (TransportFailure.Explain(e) is { } why)
        {
            return Failed(copy, $"the backend {why}");
        }
        catch (HttpRequestException e)
        {
            return Failed(copy, e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message);
        }
        catch (IOException e)
        {
            return Failed(copy, e.Message);
        }
    }

    private static Dictionary<string, string> Headers(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            headers[name] = values.ToString();
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            headers[name] = values.ToString();
        }

        return headers;
    }

    /// <summary>The trailers, read once the body was: a gRPC call's status and trailing metadata.</summary>
    private static Dictionary<string, string> Trailers(HttpResponseMessage response)
    {
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.TrailingHeaders.NonValidated)
        {
            trailers[name] = values.ToString();
        }

        return trailers;
    }

    private static Exchange Failed(ShadowCopy copy, string reason) => new(null, TimeSpan.Zero, $"{copy.Endpoint}: {reason}");

    private static HttpRequestMessage Request(ShadowCopy copy, string prefix)
    {
        var address = prefix.EndsWith('/') && copy.Target.StartsWith('/') ? prefix + copy.Target[1..] : prefix + copy.Target;
        var request = new HttpRequestMessage(new HttpMethod(copy.Method), new Uri(address, AsGiven));
        if (!copy.Body.IsEmpty)
        {
            request.Content = new ReadOnlyMemoryContent(copy.Body);
        }

        foreach (var (name, values) in copy.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values);
            }
        }

        request.Headers.TryAddWithoutValidation(ShadowHeader, "true");
        if (copy.GrpcMethod is not null)
        {
            // Hop-by-hop in general, so not resent, but gRPC servers may insist on it.
            request.Headers.TryAddWithoutValidation("TE", "trailers");
        }

        return request;
    }

    private static async Task<(ReadOnlyMemory<byte> Body, bool Truncated)> ReadAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(limit + 1, content.Headers.ContentLength is { } length ? length + 1 : 16 * 1024)];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (filled > limit)
                {
                    return (buffer.AsMemory(0, (int)limit), true);
                }

                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limit + 1));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return (buffer.AsMemory(0, filled), false);
            }

            filled += read;
        }
    }

    /// <summary>One side's answer to a copy, or why there was none.</summary>
    private sealed record Exchange(CapturedResponse? Response, TimeSpan Latency, string? Error);
}
