using Cutover.Core.Metrics;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>
/// Sorts forwarding errors into the backend's faults, a connection failure or a timeout, and the
/// client's, so a user hanging up does not count against a side and a migration can choose which
/// of the backend's faults count as errors.
/// </summary>
internal static class ForwarderErrors
{
    public static BackendFault FaultOf(ForwarderError error) => error switch
    {
        ForwarderError.None => BackendFault.None,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient
            or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient => BackendFault.None,
        ForwarderError.RequestTimedOut or ForwarderError.UpgradeActivityTimeout => BackendFault.Timeout,
        _ => BackendFault.ConnectionFailure,
    };

    /// <summary>What went wrong, in words an operator reading a 502 can act on.</summary>
    public static string Describe(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.RequestTimedOut => "did not answer within its timeout",
        ForwarderError.Request when exception is HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } =>
            $"could not be reached ({socket.SocketErrorCode})",
        ForwarderError.Request => "could not be reached",
        ForwarderError.ResponseBodyDestination => "broke off while sending its response",
        ForwarderError.RequestBodyDestination => "broke off while receiving the request body",
        _ => $"failed ({error})",
    };
}
