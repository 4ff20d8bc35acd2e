using Cutover.Core.Grpc;
using Cutover.Core.Routing;
using Cutover.Kernel.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>
/// One request sent to the candidate of a migration with <c>failover</c>: what it takes to send
/// it to legacy instead if the candidate fails it before any byte of its answer reached the user.
/// A request without a body needs nothing kept; one with a body keeps what the candidate was sent
/// (<see cref="KeptBody"/>) up to the policy's limit. Only failures before the candidate's answer
/// began are replayed (refused, reset, no answer within the timeout), and the answers the policy
/// lists: once the candidate's answer is on its way to the user, it is the user's answer.
/// </summary>
internal sealed class FailoverAttempt
{
    private readonly FailoverPolicy _policy;
    private readonly KeptBody? _body;
    private int _refusedStatus;
    private bool _refusedGrpc;

    private FailoverAttempt(FailoverPolicy policy, KeptBody? body)
    {
        _policy = policy;
        _body = body;
    }

    /// <summary>Whether the candidate's answer must be looked at (<see cref="Refuses"/>) before it is passed on.</summary>
    public bool RefusesAnswers => _policy.RefusesAnswers;

    /// <summary>Whether the candidate failed the request in a way that sends it to legacy (<see cref="Decide"/>).</summary>
    public bool Replays { get; private set; }

    /// <summary>Whether the candidate's answer was refused: it arrived, with a status the policy replays.</summary>
    public bool Refused => _refusedStatus != 0;

    /// <summary>Whether everything the candidate was sent is still at hand, so legacy can be sent the same request.</summary>
    private bool Replayable => _body?.Whole != false;

    /// <summary>
    /// Prepares a request for the candidate under <paramref name="policy"/>, or null when it could
    /// never be replayed: an upgrade (such as a WebSocket), whose answer is a connection, or a
    /// body declared longer than the policy keeps (any body, when it keeps none), which streams
    /// as it always did.
    /// </summary>
    public static FailoverAttempt? Begin(HttpContext context, FailoverPolicy policy)
    {
        var request = context.Request;
        if (DataPlane.IsUpgrade(context) || request.ContentLength > policy.MaxBodyBytes)
        {
            return null;
        }

        if (request.ContentLength is 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return new FailoverAttempt(policy, body: null);
        }

        if (policy.MaxBodyBytes == 0)
        {
            return null;
        }

        var body = new KeptBody(request.Body, policy.MaxBodyBytes, request.ContentLength);
        request.Body = body;
        return new FailoverAttempt(policy, body);
    }

    /// <summary>
    /// Whether the candidate's answer, whose headers just arrived, is replayed instead of passed
    /// on: a status the policy lists, or a gRPC UNAVAILABLE in the headers of a trailers-only
    /// answer when it asks. A request that can no longer be replayed passes its answer on.
    /// </summary>
    public bool Refuses(HttpResponseMessage response)
    {
        if (!Replayable)
        {
            return false;
        }

        var status = (int)response.StatusCode;
        if (_policy.Refuses(status))
        {
            _refusedStatus = status;
            return true;
        }

        if (_policy.GrpcUnavailable && IsGrpcUnavailable(response))
        {
            _refusedStatus = status;
            _refusedGrpc = true;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Decides, once the candidate's forward ended with <paramref name="error"/>, whether the
    /// request goes to legacy (<see cref="Replays"/>): nothing of the answer reached the user, the
    /// user is still there, the whole request is at hand, and the candidate refused the connection,
    /// broke it or stayed silent before answering, or gave an answer the policy refuses.
    /// </summary>
    public bool Decide(HttpContext context, ForwarderError error)
    {
        Replays = !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && Replayable && error switch
        {
            ForwarderError.None => Refused,
            ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.RequestBodyDestination or ForwarderError.ResponseHeaders => true,
            _ => false,
        };
        return Replays;
    }

    /// <summary>What the candidate did, for the log line of a replayed request.</summary>
    public string Describe(ForwarderError error, Exception? exception)
    {
        var what = !Refused ? ForwarderErrors.Describe(error, exception)
            : _refusedGrpc ? "answered with the gRPC status UNAVAILABLE"
            : $"answered {_refusedStatus}";
        return what + "; the request was sent to legacy (failover)";
    }

    /// <summary>
    /// Makes the request ready to be forwarded again: the candidate's failed answer (status,
    /// headers, the forwarder's error) is cleared, and the body is what the candidate was sent
    /// followed by whatever the client has not sent yet.
    /// </summary>
    public void Rewind(HttpContext context)
    {
        context.Response.Clear();
        context.Features.Set<IForwarderErrorFeature>(null);
        if (_body is not null)
        {
            context.Request.Body = _body.Replay();
        }
    }

    private static bool IsGrpcUnavailable(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var type)
        && GrpcContent.IsGrpc(type.ToString())
        && response.Headers.NonValidated.TryGetValues("grpc-status", out var status)
        && GrpcStatusCodes.FromHeader(status.ToString()) == GrpcStatusCodes.Unavailable;
}
