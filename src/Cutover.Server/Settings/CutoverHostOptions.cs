using Cutover.Core.Configuration;
using Cutover.Store;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Cutover.Server.Settings;

/// <summary>
/// Host settings that are not part of the config file, which the features read through
/// <c>IOptions&lt;CutoverHostOptions&gt;</c>. The listeners' settings (<see cref="Listen"/>, the
/// connection limits, <see cref="RequestHeadersTimeout"/>, <see cref="InlineScheduling"/>,
/// <see cref="LogLevel"/>) are <c>CutoverHost</c>'s, which <c>cutover serve</c> runs; an app that
/// hosts Cutover on its own pipeline owns its Kestrel and logging.
/// </summary>
public sealed class CutoverHostOptions
{
    /// <summary>Overrides the config's <c>listen</c> address, as the demo and tests do.</summary>
    public Uri? Listen { get; set; }

    /// <summary>Overrides the config's <c>admin</c> address; an https one is served with the config's <c>adminTls</c> certificate.</summary>
    public Uri? Admin { get; set; }

    /// <summary>Where the data plane listens: <see cref="Listen"/>, else the config's <c>listen</c>.</summary>
    internal Uri ListenOf(CutoverDefinition definition) => Listen ?? definition.Listen;

    /// <summary>The admin API's address, which its access rules are judged on: <see cref="Admin"/>, else the config's <c>admin</c>.</summary>
    internal Uri AdminOf(CutoverDefinition definition) => Admin ?? definition.Admin;

    /// <summary>
    /// The most connections the data plane holds at once; more are accepted and closed at once
    /// until some end, so a flood of idle clients cannot take the descriptors the store and the
    /// backends need. WebSocket and other upgraded connections are limited apart, to the same
    /// number. The default (null) follows the open-file limit (<c>ulimit -n</c>): a quarter of it
    /// less 512, at least 16, and 4096 where it cannot be read.
    /// </summary>
    public int? MaxConnections { get; set; }

    /// <summary>
    /// The most connections the admin API holds at once: far fewer than the data plane, since only
    /// operators, the CLI, SDK links and other replicas call it. The default value is 256.
    /// </summary>
    public int MaxAdminConnections { get; set; } = DefaultMaxAdminConnections;

    /// <summary>
    /// How long a client gets to send a request's headers on either listener before its connection
    /// is closed, so a client dribbling one header line every few seconds does not hold a
    /// connection for long. The default value is 10 seconds.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = DefaultRequestHeadersTimeout;

    /// <summary>The default of <see cref="MaxAdminConnections"/>.</summary>
    public const int DefaultMaxAdminConnections = 256;

    /// <summary>The default of <see cref="RequestHeadersTimeout"/>.</summary>
    public static readonly TimeSpan DefaultRequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The clock for stored times. The default value is the system clock.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The lowest level logged for Cutover's own messages. The default value is Information.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>
    /// How often the store is read for changes made through other replicas; a rollback on one
    /// replica reaches the others within this time. The default value is 1 second.
    /// </summary>
    public TimeSpan StateRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the admin tokens are read again from the store (with <c>adminAuth: tokens</c>), so
    /// a token revoked on any replica is refused here within this interval. The default value is 500 milliseconds.
    /// </summary>
    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often shadow evidence (divergence counts, samples, learned noise) is written to the
    /// store; the divergences API writes it at once when asked. The default value is 1 second.
    /// </summary>
    public TimeSpan EvidenceFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the orchestrator looks at every plan. The default value is 250 ms: a trigger
    /// fires within this much of its duration.
    /// </summary>
    public TimeSpan RolloutTick { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often this replica writes its metric buckets to the store and reads the other
    /// replicas', so several replicas' traffic is judged together; another replica's traffic
    /// reaches this one's plans within about this time. The default value is 1 second.
    /// </summary>
    public TimeSpan MetricsFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the lease to run the plans lasts without renewal: of several replicas on one
    /// store one runs the plans, and when it dies another takes over within this time. The
    /// default value is 15 seconds.
    /// </summary>
    public TimeSpan OrchestratorLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// This process's name among the replicas sharing a store, in the stored metrics and the
    /// orchestrator's lease. Unique per start (the machine's name and a random suffix), so a
    /// restarted replica never overwrites what its previous run counted. Set it only to tell
    /// replicas apart in the store by a name of your own; two live processes must never share one.
    /// </summary>
    public string Replica { get; set; } = $"{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// The wait before a webhook's first retry; each next retry waits twice as long, at most
    /// 60 seconds (so 1, 2, 4, 8, 16 s for the default 5 retries). The default value is 1 second.
    /// </summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long queued webhook events are given to go out when the host stops, so a rollback just
    /// before a redeploy is still told, without a dead receiver holding the shutdown. The default
    /// value is 5 seconds.
    /// </summary>
    public TimeSpan WebhookDrainTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most bytes all migrations' shadow copies may hold together while they wait and are
    /// sent (request bodies, legacy's captured answers, headers), on top of each migration's
    /// <c>shadow.maxQueuedBytes</c>: a copy past either is dropped and counted, so a candidate
    /// that stops answering cannot take the proxy's memory. At least 1 MiB. The default value is 256 MiB.
    /// </summary>
    public long ShadowMemoryBudget { get; set; } = DefaultShadowMemoryBudget;

    /// <summary>The default of <see cref="ShadowMemoryBudget"/>: 256 MiB.</summary>
    public const long DefaultShadowMemoryBudget = 256L * 1024 * 1024;

    /// <summary>
    /// Adds to the tracer of <c>cutover serve</c>'s host (<see cref="Hosting.CutoverHost"/>), such
    /// as an exporter of its own (tests add the in-memory one). Setting it turns tracing on as a
    /// <c>telemetry</c> section does, without OTLP export. An application that hosts Cutover adds
    /// its own OpenTelemetry tracing with Cutover's source instead. The default is none.
    /// </summary>
    public Action<TracerProviderBuilder>? Tracing { get; set; }

    /// <summary>
    /// A store to use instead of the one the config names, for hosts that embed Cutover with
    /// their own store implementation. The default is the config's store. Cutover's service
    /// container disposes it when the host stops, once for each store role it is registered as
    /// (<c>IControlStore</c> and the four role interfaces), so its disposal must tolerate being
    /// called again, as the SQLite and PostgreSQL stores' does.
    /// </summary>
    public IControlStore? Store { get; set; }

    /// <summary>
    /// Runs the data plane's request handling on the socket I/O threads instead of handing each
    /// request to the thread pool: about 15% less CPU per plain HTTP/1.1 request, but 10-25% less
    /// throughput over TLS, h2 and gRPC, where decryption and HTTP/2 framing then hold up the I/O
    /// threads (docs/benchmarks.md); safe because the request path never blocks. It pays off together with .NET's inline socket
    /// completions, which only an environment variable can turn on, so it follows that variable:
    /// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> turns both on. The default value is off.
    /// </summary>
    public bool InlineScheduling { get; set; } = Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";

    /// <summary>The .NET runtime's switch for running socket completions on the I/O thread.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
}
