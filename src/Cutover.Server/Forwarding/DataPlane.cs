using System.Diagnostics;
using Cutover.Core.Comparison;
using Cutover.Core.Grpc;
using Cutover.Core.Routing;
using Cutover.Core.Shadow;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;
using Cutover.Server.Outbound;
using Cutover.Server.Routing;
using Cutover.Server.Shadow;
using Cutover.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>
/// The request path: match the request to a migration, pick the side from the current snapshot,
/// forward, count. It reads the snapshot once, takes no lock and touches no store, so a change
/// of weight or mode never delays or fails a request in flight. A request served by legacy in a
/// mirroring mode is also captured and handed to the shadow path, which never makes it wait.
/// A request a tester forced to a side (the migration's <c>override</c>) goes there and is
/// counted apart, outside the side's metrics.
/// </summary>
internal sealed class DataPlane(
    SnapshotSource snapshots, IHttpForwarder forwarder, BackendClients clients, ShadowDispatcher shadow, ForwardedHeaders forwarded, ForwardFaults faults, TimeProvider time)
{
    private readonly CutoverTransformer _transformer = new(forwarded);
    private readonly CutoverTransformer _namingLegacy = new(forwarded, side: Side.Legacy);
    private readonly CutoverTransformer _namingCandidate = new(forwarded, side: Side.Candidate);

    /// <summary>Handles one request; the terminal middleware of the data plane.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var snapshot = snapshots.Current;
        var migration = MigrationMatcher.Find(snapshot, context.Request);
        if (migration is null)
        {
            await ForwardToFallbackAsync(context, snapshot);
            return;
        }

        if (migration.Override is { } routeOverride && RouteOverrideReader.Read(context, migration, routeOverride, forwarded) is { } forced)
        {
            await ForwardOverriddenAsync(context, migration, forced);
            return;
        }

        var bucket = migration.NeedsStickyKey ? StickyKeyReader.Bucket(context, migration) : 0;
        var side = migration.Decide(bucket);
        using var activity = ProxyActivity.Start(migration, side);
        if (side == Side.Legacy && migration.Mirrors && Sampled(migration.Shadow.Percent))
        {
            await ForwardAndMirrorAsync(context, migration, activity);
            return;
        }

        if (side == Side.Candidate && migration.Failover is { } policy && FailoverAttempt.Begin(context, policy) is { } failover)
        {
            await ForwardWithFailoverAsync(context, migration, failover);
            return;
        }

        await ForwardAsync(context, migration, side);
    }

    /// <summary>
    /// Sends a request to the candidate and, when the candidate failed it before answering (or
    /// answered as the migration's failover refuses), to legacy, whose answer the user gets. The
    /// candidate's failure is counted as it always is; a request legacy then answered is counted as rescued too.
    /// </summary>
    private async Task ForwardWithFailoverAsync(HttpContext context, MigrationModel migration, FailoverAttempt failover)
    {
        await ForwardAsync(context, migration, Side.Candidate, failover);
        if (!failover.Replays)
        {
            return;
        }

        failover.Rewind(context);
        var (served, _) = await ForwardAsync(context, migration, Side.Legacy);
        if (served)
        {
            migration.Counters.RecordRescued();
        }
    }

    /// <summary>
    /// Forwards to a side and counts it; whether the backend answered in full, and how long it
    /// took. With <paramref name="failover"/>, a failure it replays (<see cref="FailoverAttempt.Decide"/>)
    /// is counted and logged but not answered: the caller sends the request on to legacy.
    /// </summary>
    private async Task<(bool Served, TimeSpan Latency)> ForwardAsync(HttpContext context, MigrationModel migration, Side side, FailoverAttempt? failover = null)
    {
        var counters = migration.Counters.Of(side);
        var started = time.GetTimestamp();
        var second = started / time.TimestampFrequency;

        // Only a migration that counts unanswered requests puts them on its wheel: no sweep would
        // ever close the slots of another, and a request older than the wheel would read as counted.
        var tracked = migration.Errors.UnansweredAfter is not null;
        var refusing = failover is { RefusesAnswers: true } ? failover : null;
        var transformer = SharedTransformer(migration, side);
        if (tracked)
        {
            counters.Start(second);
            transformer = new CutoverTransformer(forwarded, counters.Unanswered, second, migration.SideHeader ? side : null, refusing);
        }
        else
        {
            counters.Start();
            if (refusing is not null)
            {
                transformer = new CutoverTransformer(forwarded, side: migration.SideHeader ? side : null, failover: refusing);
            }
        }

        var error = ForwarderErrors.Blame(context, await SendAsync(context, migration, side, transformer));

        var latency = time.GetElapsedTime(started);
        var outcome = ForwarderErrors.OutcomeOf(error);
        var grpcStatus = GrpcAnswer.StatusOf(context);
        var replay = failover?.Decide(context, error) == true;
        // A refused answer counts against the candidate whatever its status: the user was spared it, the judgement is not.
        var cause = replay && failover!.Refused ? ErrorCause.Status : migration.Errors.Classify(outcome, context.Response.StatusCode, grpcStatus);
        var countedUnanswered = tracked && transformer.CountedUnanswered();
        counters.Record((long)latency.TotalMicroseconds, cause != ErrorCause.None, countedUnanswered);
        if (countedUnanswered && cause == ErrorCause.None)
        {
            // Counted as an error when it passed the threshold; the report says so, though it was answered in the end.
            cause = ErrorCause.Unanswered;
        }

        if (replay)
        {
            var exception = context.GetForwarderErrorFeature()?.Exception;
            faults.Record(migration.Name, side, failover!.Describe(error, exception), exception);
        }
        else if (ForwarderErrors.IsBackendFault(outcome))
        {
            // The user gets the same 502 or 504 whether or not the migration counts the fault: only the metrics differ.
            Record(context, migration.Name, side, error);
            NameSide(context, migration, side);
            await BackendProblem.WriteAsync(context, migration.Name, side, error);
        }

        if (cause != ErrorCause.None)
        {
            migration.Counters.RecentErrors.Add(new RecentError(
                time.GetUtcNow(), side, $"{context.Request.Method} {context.Request.Path}", context.Response.StatusCode, latency.TotalMilliseconds, cause,
                grpcStatus is { } code ? GrpcStatusCodes.Name(code) : null));
        }

        return (error == ForwarderError.None && !replay, latency);
    }

    /// <summary>
    /// Forwards a request a tester forced to a side. It is counted with the overrides alone, so the
    /// side's error rate, latency, gates and triggers judge only the traffic the migration routed;
    /// it is never mirrored, and it gets the same 502 or 504 as any request when the side fails.
    /// </summary>
    private async Task ForwardOverriddenAsync(HttpContext context, MigrationModel migration, Side side)
    {
        using var activity = ProxyActivity.Start(migration, side);
        var overrides = migration.Counters.Overrides;
        overrides.RecordForced(side);
        var error = ForwarderErrors.Blame(context, await SendAsync(context, migration, side, SharedTransformer(migration, side)));

        var outcome = ForwarderErrors.OutcomeOf(error);
        if (migration.Errors.Classify(outcome, context.Response.StatusCode, GrpcAnswer.StatusOf(context)) != ErrorCause.None)
        {
            overrides.RecordError(side);
        }

        if (ForwarderErrors.IsBackendFault(outcome))
        {
            Record(context, migration.Name, side, error);
            NameSide(context, migration, side);
            await BackendProblem.WriteAsync(context, migration.Name, side, error);
        }
    }

    /// <summary>Sends a request to a side with its outbound client (its TLS), its HTTP version and its timeout.</summary>
    private ValueTask<ForwarderError> SendAsync(HttpContext context, MigrationModel migration, Side side, HttpTransformer transformer)
    {
        var backend = migration.Backends.Of(side);
        return forwarder.SendAsync(
            context, migration.PrefixOf(side), clients.For(backend), RequestConfigs.For(migration.TimeoutOf(side), backend.Protocol), transformer);
    }

    /// <summary>The transformer shared by the requests to a side: one that names the side in the answer when the migration asks for it.</summary>
    private CutoverTransformer SharedTransformer(MigrationModel migration, Side side) =>
        !migration.SideHeader ? _transformer : side == Side.Candidate ? _namingCandidate : _namingLegacy;

    private static void NameSide(HttpContext context, MigrationModel migration, Side side)
    {
        if (migration.SideHeader)
        {
            SideHeader.Write(context.Response, side);
        }
    }

    /// <summary>
    /// Serves the request from legacy while keeping what a copy needs: the request body (up to
    /// the buffer limit) and the first bytes of legacy's answer as it streams to the user. Only
    /// then is the copy offered to the shadow path, which takes it or drops it at once.
    /// </summary>
    private async Task ForwardAndMirrorAsync(HttpContext context, MigrationModel migration, Activity? activity)
    {
        var request = context.Request;
        var counters = migration.Counters.Shadow;
        var policy = migration.Shadow;
        if (!policy.Mirrors(request.Method) || IsUpgrade(context))
        {
            counters.RecordSkipped();
            await ForwardAsync(context, migration, Side.Legacy);
            return;
        }

        var arrived = time.GetUtcNow();
        var grpcRequest = GrpcContent.IsGrpc(request.ContentType) ? RequestCapture.Install(request, policy.MaxBodyBytes) : null;
        ReadOnlyMemory<byte>? body;
        try
        {
            body = grpcRequest is null ? await RequestBodyBuffer.ReadAsync(request, policy.MaxBodyBytes, context.RequestAborted) : ReadOnlyMemory<byte>.Empty;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client broke off or sent a malformed body before legacy saw anything: nothing to serve, nothing to mirror.
            counters.RecordSkipped();
            if (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
            }

            return;
        }

        if (body is not { } buffered)
        {
            counters.RecordSkipped();
            await ForwardAsync(context, migration, Side.Legacy);
            return;
        }

        var headers = RequestHeaders(context);
        // The target legacy is sent, so the copy asks for exactly what legacy was asked.
        var target = RequestTarget.Of(context);
        var capture = new ResponseCapture(context.Response, policy.MaxResponseBytes);
        context.Response.Body = capture;
        bool served;
        TimeSpan latency;
        try
        {
            (served, latency) = await ForwardAsync(context, migration, Side.Legacy);
        }
        finally
        {
            context.Response.Body = capture.Inner;
        }

        if (!served)
        {
            counters.RecordSkipped();
            return;
        }

        var legacy = new CapturedResponse(context.Response.StatusCode, ResponseHeaders(context.Response), capture.Captured, capture.Truncated)
        {
            Trailers = GrpcAnswer.Trailers(context),
        };
        if (grpcRequest is not null)
        {
            if (!GrpcCall.IsUnary(migration, request.Path.Value ?? "/", grpcRequest.Complete, legacy))
            {
                counters.RecordSkipped();
                return;
            }

            buffered = grpcRequest.Complete!.Value;
        }

        var copy = new ShadowCopy(migration, EndpointTemplate.Of(request.Method, request.Path.Value ?? "/"), request.Method, target, headers, buffered,
            legacy, latency, arrived, activity?.Context ?? default);
        if (shadow.TryEnqueue(copy))
        {
            counters.RecordMirrored();
            ProxyActivity.MarkMirrored(activity);
        }
        else
        {
            counters.RecordDropped();
        }
    }

    /// <summary>The headers a copy is sent with: the user's, hop-by-hop ones left out, with what it says about the client by the same rule as the forwarded request.</summary>
    private List<KeyValuePair<string, string[]>> RequestHeaders(HttpContext context)
    {
        var trusted = forwarded.Trusts(context);
        var written = ForwardedHeaders.Of(context, trusted).ToList();
        var headers = new List<KeyValuePair<string, string[]>>(context.Request.Headers.Count + written.Count);
        foreach (var (name, values) in context.Request.Headers)
        {
            var replaced = trusted ? Writes(written, name) : ForwardedHeaders.IsClaim(name);
            if (ShadowSender.IsResent(name) && !replaced)
            {
                headers.Add(new(name, values.ToArray()!));
            }
        }

        headers.AddRange(written.Select(h => new KeyValuePair<string, string[]>(h.Key, [h.Value])));
        return headers;
    }

    // A loop, not List.Exists with a lambda: the lambda's closure over the header name was allocated for every header of every copy, trusted or not.
    private static bool Writes(List<KeyValuePair<string, string>> written, string name)
    {
        foreach (var (key, _) in written)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, string> ResponseHeaders(HttpResponse response)
    {
        var headers = new Dictionary<string, string>(response.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers)
        {
            headers[name] = values.ToString();
        }

        return headers;
    }

    /// <summary>A WebSocket or other upgrade: the answer is a connection, not a response a copy could be compared with.</summary>
    internal static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;

    private static bool Sampled(double percent) => percent >= 100 || (percent > 0 && Random.Shared.NextDouble() * 100 < percent);

    private async Task ForwardToFallbackAsync(HttpContext context, RoutingSnapshot snapshot)
    {
        if (snapshot.FallbackPrefix is not { } fallback)
        {
            await BackendProblem.WriteNotFoundAsync(context);
            return;
        }

        var error = ForwarderErrors.Blame(context, await forwarder.SendAsync(context, fallback, clients.For(snapshot.FallbackBackend), RequestConfigs.For(null, snapshot.FallbackBackend.Protocol), _transformer));
        if (ForwarderErrors.IsBackendFault(ForwarderErrors.OutcomeOf(error)))
        {
            Record(context, migration: null, Side.Legacy, error);
            await BackendProblem.WriteAsync(context, migration: null, Side.Legacy, error);
        }
    }

    private void Record(HttpContext context, string? migration, Side side, ForwarderError error)
    {
        var exception = context.GetForwarderErrorFeature()?.Exception;
        faults.Record(migration, side, ForwarderErrors.Describe(error, exception), exception);
    }
}
