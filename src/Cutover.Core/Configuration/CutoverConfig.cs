namespace Cutover.Core.Configuration;

/// <summary>The config file as the user wrote it (<c>cutover serve -c cutover.yaml</c>), before validation.</summary>
public sealed record CutoverConfig
{
    /// <summary>The data plane's address. The default value is http://127.0.0.1:8080.</summary>
    public string Listen { get; init; } = DefaultListen;

    /// <summary>The admin API's address; loopback by default, where it may run without tokens. The default value is http://127.0.0.1:8081.</summary>
    public string Admin { get; init; } = DefaultAdmin;

    /// <summary>The certificates the data plane serves <c>https://</c> with; required for an https <c>listen</c>, none by default.</summary>
    public TlsConfig? Tls { get; init; }

    /// <summary>Which HTTP a plain http <c>listen</c> address speaks: <c>http1</c> or <c>h2c</c>. The default value is http1.</summary>
    public string? ListenProtocol { get; init; }

    /// <summary>Which HTTP a plain http <c>admin</c> address speaks: <c>http1</c> or <c>h2c</c>. The default value is http1.</summary>
    public string? AdminProtocol { get; init; }

    /// <summary>How the admin API tells who calls it: <c>none</c> (loopback only) or <c>tokens</c>. The default value is none.</summary>
    public string? AdminAuth { get; init; }

    /// <summary>The certificate the admin API serves <c>https://</c> with; required for an https <c>admin</c>, none by default.</summary>
    public TlsConfig? AdminTls { get; init; }

    /// <summary>The folder relative paths in the file (<c>tls</c>, <c>adminTls</c>) are read from: the config file's. The default is the current folder.</summary>
    public string? Folder { get; init; }

    /// <summary>The control store: <c>sqlite:PATH</c> or a PostgreSQL connection string. The default value is sqlite:cutover.db.</summary>
    public string Store { get; init; } = DefaultStore;

    /// <summary>Where requests that match no migration go (its URL, and optionally how to speak to it); when absent they get 404.</summary>
    public BackendConfig? Fallback { get; init; }

    /// <summary>The proxies in front of Cutover whose forwarded headers it keeps and appends to (IP addresses or CIDR networks); none by default, so every client's claims are replaced.</summary>
    public IReadOnlyList<TrustedProxyConfig> TrustedProxies { get; init; } = [];

    /// <summary>The migrations.</summary>
    public IReadOnlyList<MigrationConfig> Migrations { get; init; } = [];

    /// <summary>The fleet groups whose migrations move together (<c>lockstep: [payments]</c>); none by default.</summary>
    public IReadOnlyList<LockstepConfig> Lockstep { get; init; } = [];

    /// <summary>Where rollout events are told; none by default.</summary>
    public NotificationsConfig Notifications { get; init; } = new();

    /// <summary>Where traces and metrics are exported over OTLP; none by default, and then nothing is traced.</summary>
    public TelemetryConfig? Telemetry { get; init; }

    /// <summary>Where the config came from, for error messages.</summary>
    public string Source { get; init; } = "config";

    /// <summary>The default data plane address.</summary>
    public const string DefaultListen = "http://127.0.0.1:8080";

    /// <summary>The default admin address.</summary>
    public const string DefaultAdmin = "http://127.0.0.1:8081";

    /// <summary>The default store.</summary>
    public const string DefaultStore = "sqlite:cutover.db";
}
