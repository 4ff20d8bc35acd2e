using Cutover.Kernel.Metrics;
using Cutover.Server.Outbound;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>
/// Sorts forwarding errors into the backend's faults (a connection failure or a timeout) and the
/// client's, so a user hanging up does not count against a side, and a migration can choose
/// which of the backend's faults count as errors.
/// </summary>
internal static class ForwarderErrors
{
    public static BackendOutcome OutcomeOf(ForwarderError error) => error switch
    {
        // The client left while the answer was on its way: the backend answered, with the status on the response.
        ForwarderError.None or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient
            or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient => BackendOutcome.Answered,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient => BackendOutcome.ClientBrokeOff,
        ForwarderError.RequestTimedOut or ForwarderError.UpgradeActivityTimeout => BackendOutcome.Timeout,
        _ => BackendOutcome.ConnectionFailure,
    };

    /// <summary>
    /// The error with the blame where it belongs. YARP reports a request body it could not finish
    /// sending as the client's fault (a 400) whenever reading it failed or was cancelled, and that
    /// is also what happens when the backend breaks off the request mid-body: over HTTP/2 the
    /// stream's reset cancels the read of the client's body. While the client is still connected
    /// and sent nothing Kestrel refused as malformed, it was the backend that broke off.
    /// </summary>
    public static ForwarderError Blame(HttpContext context, ForwarderError error) =>
        error is ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled
        && !context.RequestAborted.IsCancellationRequested
        && !Malformed(context.GetForwarderErrorFeature()?.Exception)
            ? ForwarderError.RequestBodyDestination
            : error;

    /// <summary>Whether the backend failed to answer, so the user gets a 502 or 504 problem instead.</summary>
    public static bool IsBackendFault(BackendOutcome outcome) => outcome is BackendOutcome.ConnectionFailure or BackendOutcome.Timeout;

    /// <summary>What went wrong, in words an operator reading a 502 can act on.</summary>
    public static string Describe(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.RequestTimedOut => "did not answer within its timeout",
        ForwarderError.Request when TransportFailure.Explain(exception) is { } explained => explained,
        ForwarderError.Request when exception is HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } =>
            $"could not be reached ({socket.SocketErrorCode})",
        ForwarderError.Request => "could not be reached",
        ForwarderError.ResponseBodyDestination => "broke off while sending its response",
        ForwarderError.RequestBodyDestination => "broke off while receiving the request body",
        _ => $"failed ({error})",
    };

    private static bool Malformed(Exception? exception) => exception switch
    {
        null => false,
        BadHttpRequestException => true,
        AggregateException all => all.InnerExceptions.Any(Malformed),
        _ => Malformed(exception.InnerException),
    };
}
