using Cutover.Core.Configuration;
using Cutover.Core.Metrics;
using Cutover.Core.Rollout;
using Cutover.Core.Security;
using Cutover.Core.Shadow;
using Cutover.Server.Admin;
using Cutover.Server.Control;
using Cutover.Server.Diagnostics;
using Cutover.Server.Forwarding;
using Cutover.Server.Metrics;
using Cutover.Server.Rollout;
using Cutover.Server.Routing;
using Cutover.Server.Security;
using Cutover.Server.Shadow;
using Cutover.Server.Telemetry;
using Cutover.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Hosting;

/// <summary>
/// A running Cutover: the data plane and the admin API, each on its own Kestrel host so the
/// request path carries no routing or admin middleware, sharing one <see cref="CutoverRuntime"/>.
/// </summary>
public sealed class CutoverHost : IAsyncDisposable
{
    private const long MaxAdminBodyBytes = 64 * 1024;

    private readonly WebApplication _dataPlane;
    private readonly WebApplication _admin;
    private readonly HttpMessageInvoker _backendClient;

    private CutoverHost(WebApplication dataPlane, WebApplication admin, HttpMessageInvoker backendClient, CutoverRuntime runtime)
    {
        _dataPlane = dataPlane;
        _admin = admin;
        _backendClient = backendClient;
        Runtime = runtime;
        Control = admin.Services.GetRequiredService<MigrationControl>();
        Events = admin.Services.GetRequiredService<IRolloutEventSink>();
        Metrics = admin.Services.GetRequiredService<SharedMetrics>();
    }

    /// <summary>The shared runtime.</summary>
    public CutoverRuntime Runtime { get; }

    /// <summary>The control path, as the admin API uses it.</summary>
    public MigrationControl Control { get; }

    /// <summary>Where rollout events are told: the admin host's <see cref="IRolloutEventSink"/>, which sends them to the config's webhooks.</summary>
    public IRolloutEventSink Events { get; }

    /// <summary>Every replica's traffic as this one sees it: what plans are judged on.</summary>
    public SharedMetrics Metrics { get; }

    /// <summary>The admin host's services, for tests that look at its endpoints.</summary>
    internal IServiceProvider AdminServices => _admin.Services;

    /// <summary>Where the data plane listens, with the real port when port 0 was asked for.</summary>
    public Uri DataPlaneAddress => BoundAddress(_dataPlane);

    /// <summary>Where the admin API listens.</summary>
    public Uri AdminAddress => BoundAddress(_admin);

    /// <summary>
    /// Opens the store, loads the state, and starts both listeners. Fails before listening when
    /// the store cannot be used, so a broken setup never half-serves.
    /// </summary>
    public static async Task<CutoverHost> StartAsync(CutoverDefinition definition, CutoverHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= new CutoverHostOptions();
        var limits = ConnectionLimits.Of(options, ConnectionLimits.OpenFiles());
        var runtime = new CutoverRuntime(definition, options.Store ?? ControlStoreFactory.Create(definition.Store, options.Time), new SnapshotSource(), new MetricsRegistry(options.Time), new ShadowEvidence());
        var backendClient = BackendClient.Create(CutoverTelemetryExtensions.Traces(definition.Telemetry, options.Tracing));
        var startLog = new HostStartLog();
        WebApplication? dataPlane = null;
        WebApplication? admin = null;
        try
        {
            admin = BuildAdmin(runtime, options, limits, backendClient, startLog);
            dataPlane = BuildDataPlane(runtime, options, limits, backendClient, startLog);
            var host = new CutoverHost(dataPlane, admin, backendClient, runtime);
            await host.Control.StartAsync(cancellationToken);
            await LoadTokensAsync(admin, runtime, options, cancellationToken);
            await dataPlane.StartAsync(cancellationToken);
            await admin.StartAsync(cancellationToken);
            startLog.Started();
            var logger = admin.Services.GetRequiredService<ILogger<CutoverHost>>();
            CutoverLog.DataPlaneListening(logger, host.DataPlaneAddress.ToString());
            CutoverLog.AdminListening(logger, host.AdminAddress.ToString());
            CutoverLog.ConnectionLimits(logger, limits.DataPlane, limits.DataPlaneSource, limits.Admin);
            return host;
        }
        catch
        {
            await DisposeQuietlyAsync(dataPlane);
            await DisposeQuietlyAsync(admin);
            await runtime.Store.DisposeAsync();
            backendClient.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM) or the token fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _admin.WaitForShutdownAsync(cancellationToken);

    /// <summary>
    /// Stops accepting requests, lets in-flight ones and their shadow copies finish, writes the
    /// last shadow evidence, gives queued webhook events <see cref="CutoverHostOptions.WebhookDrainTime"/>
    /// to go out, and closes the store.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _dataPlane.StopAsync();
        await _dataPlane.DisposeAsync();
        await _admin.StopAsync();
        await _admin.DisposeAsync();
        await Runtime.Store.DisposeAsync();
        _backendClient.Dispose();
    }

    private static WebApplication BuildDataPlane(
        CutoverRuntime runtime, CutoverHostOptions options, ConnectionLimits limits, HttpMessageInvoker backendClient, HostStartLog startLog)
    {
        var builder = NewBuilder(options, startLog);
        builder.WebHost.UseUrls((options.Listen ?? runtime.Definition.Listen).ToString());
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Bodies stream through; the backends own their size limits, not the proxy in front of them.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxConcurrentConnections = limits.DataPlane;
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.DataPlane;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        });
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = options.InlineScheduling);
        builder.Services.AddSingleton(runtime.Snapshots);
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton(sp => new ShadowSender(backendClient, runtime.Evidence));
        builder.Services.AddSingleton(sp => new ShadowMemory(options.ShadowMemoryBudget, options.Time, sp.GetRequiredService<ILogger<ShadowMemory>>()));
        builder.Services.AddSingleton<ShadowDispatcher>();
        builder.Services.AddSingleton(sp => new ForwardFaults(sp.GetRequiredService<ILogger<DataPlane>>(), options.Time));
        builder.Services.AddSingleton(sp => new DataPlane(
            runtime.Snapshots, sp.GetRequiredService<IHttpForwarder>(), backendClient, sp.GetRequiredService<ShadowDispatcher>(),
            new ForwardedHeaders(runtime.Definition.TrustedProxies), sp.GetRequiredService<ForwardFaults>(), options.Time));
        builder.Services.AddHostedService(sp => new UnansweredSweeper(runtime.Snapshots, sp.GetRequiredService<ForwardFaults>(), options));
        var app = builder.Build();
        var dataPlane = app.Services.GetRequiredService<DataPlane>();
        app.Run(dataPlane.HandleAsync);
        return app;
    }

    private static WebApplication BuildAdmin(
        CutoverRuntime runtime, CutoverHostOptions options, ConnectionLimits limits, HttpMessageInvoker backendClient, HostStartLog startLog)
    {
        var address = options.Admin ?? runtime.Definition.Admin;
        var mode = runtime.Definition.AdminAuth;
        if (mode == AdminAuthMode.None && !LoopbackAddress.Is(address))
        {
            throw new ConfigException([new ConfigError(runtime.Definition.Source, 0, null, "admin", AdminExposure.Problem(address.ToString()))]);
        }

        var tokenStore = runtime.Store as ITokenStore;
        if (mode == AdminAuthMode.Tokens && tokenStore is null)
        {
            throw new ConfigException([new ConfigError(runtime.Definition.Source, 0, null, "adminAuth",
                $"tokens needs a store that keeps them, and {runtime.Store.Description} does not; use a SQLite or PostgreSQL store")]);
        }

        var builder = NewBuilder(options, startLog);
        builder.WebHost.UseUrls(address.ToString());
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxAdminBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = limits.Admin;
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.Admin;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        });
        if (runtime.Definition.AdminTls is { } tls)
        {
            ServeTls(builder, tls);
        }

        builder.Services.AddSingleton(options.Time);
        builder.Services.AddSingleton(options);
        builder.Services.AddCutover(runtime);
        builder.Services.AddCutoverTelemetry(runtime.Definition.Telemetry, options.Tracing);
        builder.Services.AddHostedService<StateRefresher>();
        builder.Services.AddHostedService<EvidenceFlusher>();
        builder.Services.AddHostedService<MetricsRoller>();
        builder.Services.AddHostedService<MetricsExchange>();
        builder.Services.AddSingleton(new SmokeRunner(backendClient));
        builder.Services.AddSingleton<RolloutControl>();
        builder.Services.AddHostedService<RolloutOrchestrator>();
        var registry = tokenStore is null ? null : new TokenRegistry(tokenStore, options.Time);
        if (registry is not null)
        {
            builder.Services.AddSingleton(registry);
        }

        builder.Services.AddSingleton(new FailedAttempts(options.Time));
        builder.Services.AddSingleton(new AdminGuardSettings(mode, address.IdnHost, mode == AdminAuthMode.Tokens ? registry : null));
        if (mode == AdminAuthMode.Tokens)
        {
            builder.Services.AddHostedService<TokenRefresher>();
        }

        var app = builder.Build();
        app.Use(AdminGuard.MarkAnswerAsync);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<AdminGuard>();
        app.MapCutoverAdmin();
        return app;
    }

    /// <summary>With tokens, reads them before the admin API listens, so its first call is judged on them, and says so when there are none.</summary>
    private static async Task LoadTokensAsync(WebApplication admin, CutoverRuntime runtime, CutoverHostOptions options, CancellationToken cancellationToken)
    {
        if (runtime.Definition.AdminAuth != AdminAuthMode.Tokens)
        {
            return;
        }

        var tokens = admin.Services.GetRequiredService<TokenRegistry>();
        await tokens.RefreshAsync(cancellationToken);
        var logger = admin.Services.GetRequiredService<ILogger<CutoverHost>>();
        if (tokens.Count == 0)
        {
            CutoverLog.NoTokens(logger, runtime.Store.Description);
        }

        var address = options.Admin ?? runtime.Definition.Admin;
        if (address.Scheme == Uri.UriSchemeHttp && !LoopbackAddress.Is(address))
        {
            CutoverLog.AdminInClear(logger, address.ToString());
        }
    }

    /// <summary>
    /// Serves an https admin address with the config's certificate (HTTP/1.1 and HTTP/2, by ALPN).
    /// The slim builder leaves https addresses out until asked; an http address stays plain.
    /// </summary>
    private static void ServeTls(WebApplicationBuilder builder, TlsCertificate tls)
    {
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = tls.Certificate;
            https.ServerCertificateChain = tls.Chain;
        }));
    }

    private static WebApplicationBuilder NewBuilder(CutoverHostOptions options, HostStartLog startLog)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Logging.AddFilter(HostStartLog.Category, startLog.Logs);
        // Kestrel warns once per connection refused past the limit: a flood of connections would flood the log too.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", LogLevel.Error);
        // Each failed forward would log a warning with a stack trace; ForwardFaults logs them counted instead.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder.HttpForwarder", LogLevel.None);
        return builder;
    }

    private static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>();
        return new Uri(addresses?.Addresses.FirstOrDefault() ?? app.Urls.First());
    }

    private static async Task DisposeQuietlyAsync(WebApplication? app)
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
