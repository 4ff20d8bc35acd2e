using Cutover.Core.Configuration;
using Cutover.Core.Rollout;
using Cutover.Server.Admin;
using Cutover.Server.Control;
using Cutover.Server.Dashboard;
using Cutover.Server.Diagnostics;
using Cutover.Server.Forwarding;
using Cutover.Server.Metrics;
using Cutover.Server.Security;
using Cutover.Server.Settings;
using Cutover.Server.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Hosting;

/// <summary>
/// <c>cutover serve</c>'s Cutover: the data plane and the admin API, each on its own Kestrel
/// host so the request path carries no routing or admin middleware. The admin host holds
/// everything <see cref="CutoverServiceCollectionExtensions.AddCutover(Microsoft.Extensions.DependencyInjection.IServiceCollection, CutoverDefinition, Action{CutoverHostOptions}?)"/>
/// registers, the same registration an application that hosts Cutover uses; the data plane's
/// listener runs that registration's <see cref="DataPlane"/> as its one terminal delegate.
/// </summary>
public sealed class CutoverHost : IAsyncDisposable
{
    private readonly WebApplication _dataPlane;
    private readonly WebApplication _admin;

    private CutoverHost(WebApplication dataPlane, WebApplication admin)
    {
        _dataPlane = dataPlane;
        _admin = admin;
        Runtime = admin.Services.GetRequiredService<CutoverRuntime>();
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
    /// Opens the store, loads the state, and starts both listeners, the data plane last. Fails
    /// before listening when the store cannot be used, so a broken setup never half-serves.
    /// </summary>
    public static async Task<CutoverHost> StartAsync(CutoverDefinition definition, CutoverHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= new CutoverHostOptions();
        var limits = ConnectionLimits.Of(options, ConnectionLimits.OpenFiles());
        var startLog = new HostStartLog();
        WebApplication? admin = null;
        WebApplication? dataPlane = null;
        var adminStarted = false;
        try
        {
            admin = BuildAdmin(definition, options, limits, startLog);
            dataPlane = BuildDataPlane(admin.Services.GetRequiredService<DataPlane>(), definition, options, limits, startLog);
            await admin.StartAsync(cancellationToken);
            adminStarted = true;
            await dataPlane.StartAsync(cancellationToken);
            startLog.Started();
            var host = new CutoverHost(dataPlane, admin);
            var logger = admin.Services.GetRequiredService<ILogger<CutoverHost>>();
            CutoverLog.DataPlaneListening(logger, host.DataPlaneAddress.ToString());
            CutoverLog.AdminListening(logger, host.AdminAddress.ToString());
            CutoverLog.ConnectionLimits(logger, limits.DataPlane, limits.DataPlaneSource, limits.Admin);
            if (CollectorBudget.Gen0Max(GC.GetConfigurationVariables()) is var budget && CollectorBudget.IsSmall(budget))
            {
                CutoverLog.SmallGen0Budget(logger, budget!.Value / (1024 * 1024));
            }
            return host;
        }
        catch
        {
            await DisposeQuietlyAsync(dataPlane);
            if (adminStarted)
            {
                await admin!.StopAsync(CancellationToken.None);
            }

            await DisposeQuietlyAsync(admin);
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
    }

    private static WebApplication BuildDataPlane(
        DataPlane dataPlane, CutoverDefinition definition, CutoverHostOptions options, ConnectionLimits limits, HostStartLog startLog)
    {
        var builder = NewBuilder(options, startLog);
        Listen(builder, options.ListenOf(definition), definition.ListenProtocol, definition.Tls, "the data plane", definition.Source, options.Time);
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
        var app = builder.Build();
        app.Run(dataPlane.HandleAsync);
        return app;
    }

    /// <summary>
    /// The admin host: Cutover's one registration with this host's settings, and the admin API
    /// behind a marker on every answer (unknown paths included) and problem details for errors.
    /// </summary>
    private static WebApplication BuildAdmin(CutoverDefinition definition, CutoverHostOptions options, ConnectionLimits limits, HostStartLog startLog)
    {
        var builder = NewBuilder(options, startLog);
        Listen(builder, options.AdminOf(definition), definition.AdminProtocol, definition.AdminTls, "the admin API", definition.Source, options.Time);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = AdminGuard.MaxBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = limits.Admin;
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.Admin;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        });
        builder.Services.AddCutover(definition);
        builder.Services.AddSingleton(Options.Create(options));
        if (options.Tracing is not null)
        {
            builder.Services.AddCutoverTelemetry(null, options.Tracing);
        }
        var app = builder.Build();
        app.Use(AdminGuard.MarkAnswerAsync);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.MapCutoverAdmin();
        app.MapCutoverDashboard();
        return app;
    }

    /// <summary>
    /// Listens on <paramref name="address"/> speaking what it was told. Over https: TLS with the
    /// config's certificates (chosen by SNI, reloaded when their files change: a
    /// <see cref="ListenerCertificates"/> of this host's container), offering HTTP/2 and HTTP/1.1
    /// by ALPN. In clear: one of them, since without ALPN Kestrel cannot tell which a client speaks
    /// (h2c takes HTTP/2 with prior knowledge only). An address overridden by the host's options
    /// keeps the config's certificates.
    /// </summary>
    private static void Listen(WebApplicationBuilder builder, Uri address, ListenerProtocol protocol, ListenerTls? tls, string listener, string source, TimeProvider time)
    {
        builder.WebHost.UseUrls(address.ToString());
        if (address.Scheme != Uri.UriSchemeHttps)
        {
            var protocols = protocol == ListenerProtocol.H2c ? HttpProtocols.Http2 : HttpProtocols.Http1;
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = protocols));
            return;
        }

        if (tls is null)
        {
            throw new InvalidOperationException($"{listener} was given the https address {address}, but the config has no certificates for it; add its tls section (adminTls for the admin API), or give an http address");
        }

        builder.Services.AddSingleton(services => new ListenerCertificates(tls, listener, source, time, services.GetRequiredService<ILogger<ListenerCertificates>>()));

        // The slim builder leaves https addresses out until asked.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            var certificates = listen.ApplicationServices.GetRequiredService<ListenerCertificates>();
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = context => ValueTask.FromResult(certificates.OptionsFor(context.ClientHelloInfo.ServerName)),
            });
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
