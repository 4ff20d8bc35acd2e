using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>Sorts forwarding errors into the backend's fault and the client's, so a user hanging up does not count against a side.</summary>
internal static class ForwarderErrors
{
    public static bool IsBackendFault(ForwarderError error) => error switch
    {
        ForwarderError.None => false,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient
            or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient => false,
        _ => true,
    };

    public static bool IsTimeout(ForwarderError error) => error is ForwarderError.RequestTimedOut or ForwarderError.UpgradeActivityTimeout;

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
