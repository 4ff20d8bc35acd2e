using System.Collections.Concurrent;
using Cutover.Core.Routing;
using Cutover.Server.Outbound;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>One forwarder request config per distinct timeout and protocol, made once so the request path allocates none.</summary>
internal static class RequestConfigs
{
    private static readonly ConcurrentDictionary<(TimeSpan?, BackendProtocol), ForwarderRequestConfig> ByTimeout = new();

    /// <summary>The config of a backend spoken to with <paramref name="protocol"/> that may stay silent for <paramref name="activityTimeout"/> (YARP's default when null).</summary>
    public static ForwarderRequestConfig For(TimeSpan? activityTimeout, BackendProtocol protocol) =>
        ByTimeout.GetOrAdd((activityTimeout, protocol), static key =>
        {
            var (version, policy) = BackendVersions.Of(key.Item2);
            return new ForwarderRequestConfig { ActivityTimeout = key.Item1, Version = version, VersionPolicy = policy };
        });
}
