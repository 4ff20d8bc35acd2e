using System.Collections.Concurrent;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>One forwarder request config per distinct timeout, made once so the request path allocates none.</summary>
internal static class RequestConfigs
{
    private static readonly ConcurrentDictionary<TimeSpan, ForwarderRequestConfig> ByTimeout = new();

    public static ForwarderRequestConfig For(TimeSpan activityTimeout) =>
        ByTimeout.GetOrAdd(activityTimeout, static timeout => new ForwarderRequestConfig { ActivityTimeout = timeout });
}
