using System.Net;
using Cutover.Core.Notifications;
using Cutover.Core.Routing;
using Cutover.Core.Security;

namespace Cutover.Core.Configuration;

/// <summary>A validated config file: every address parsed, every migration checked.</summary>
public sealed record CutoverDefinition(
    Uri Listen,
    Uri Admin,
    string Store,
    Uri? Fallback,
    IReadOnlyList<MigrationDefinition> Migrations,
    string Source)
{
    /// <summary>How the <see cref="Fallback"/> backend is spoken to besides its address (<c>fallback: { url, protocol }</c>). The default is <see cref="BackendSettings.Default"/>.</summary>
    public BackendSettings FallbackBackend { get; init; } = BackendSettings.Default;

    /// <summary>Where rollout events are sent (<c>notifications.webhooks</c>), in file order. The default is none.</summary>
    public IReadOnlyList<WebhookDefinition> Webhooks { get; init; } = [];

    /// <summary>Which HTTP the data plane speaks on an http <c>listen</c> address (<c>listenProtocol</c>). The default is <see cref="ListenerProtocol.Http1"/>.</summary>
    public ListenerProtocol ListenProtocol { get; init; }

    /// <summary>Which HTTP the admin API speaks on an http <c>admin</c> address (<c>adminProtocol</c>). The default is <see cref="ListenerProtocol.Http1"/>.</summary>
    public ListenerProtocol AdminProtocol { get; init; }

    /// <summary>How the admin API tells who calls it (<c>adminAuth</c>). The default is <see cref="AdminAuthMode.None"/>, allowed only on a loopback admin address.</summary>
    public AdminAuthMode AdminAuth { get; init; }

    /// <summary>
    /// The networks of the proxies in front of Cutover (<c>trustedProxies</c>): a request from one
    /// keeps its Forwarded, X-Forwarded-* and X-Real-IP headers, X-Forwarded-For appended to.
    /// From anyone else they are replaced by Cutover's own. The default is none.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>Where traces and metrics are exported (<c>telemetry</c>); null, the default, exports nothing and traces nothing.</summary>
    public TelemetryDefinition? Telemetry { get; init; }

    /// <summary>The data plane's certificates (<c>tls</c>), loaded with their keys; null when the data plane serves plain http.</summary>
    public ListenerTls? Tls { get; init; }

    /// <summary>The config file's text as it was read, which <c>cutover export</c> writes the running state into; null for a definition not read from text.</summary>
    public string? Text { get; init; }

    /// <summary>The admin API's certificates (<c>adminTls</c>), loaded with their keys; null when the admin API serves plain http.</summary>
    public ListenerTls? AdminTls { get; init; }

    /// <summary>
    /// The migrations that move in lockstep with <paramref name="migration"/>, itself included, in
    /// file order; empty when it moves alone. A plan command on one of them acts on them all.
    /// </summary>
    public IReadOnlyList<string> LockstepWith(string migration) =>
        Migrations.FirstOrDefault(m => m.Name == migration) is { Lockstep: true, Group: { } group }
            ? [.. Migrations.Where(m => m.Lockstep && m.Group == group).Select(m => m.Name)]
            : [];
}
