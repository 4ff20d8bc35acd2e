using System.Net;
using System.Net.NetworkInformation;
using Cutover.Core.Notifications;
using Cutover.Core.Rollout;
using Cutover.Server.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Notifications;

/// <summary>
/// The <see cref="IRolloutEventSink"/> of a running Cutover: hands each event to the webhooks that
/// want it (<see cref="WebhookDefinition.Wants"/>), each through its own <see cref="WebhookLane"/>.
/// <see cref="Publish"/> only writes to bounded in-memory queues, so it returns at once whatever
/// the receivers do, and the orchestrator's rollback never waits for a chat service. With no
/// webhooks configured it does nothing. As a hosted service of the admin host it gives queued
/// events <see cref="CutoverHostOptions.WebhookDrainTime"/> to go out when the host stops.
/// </summary>
internal sealed class WebhookNotifier : IRolloutEventSink, IHostedService, IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly HttpClient? _privateClient;
    private readonly Task[] _workers;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _drainTime;
    private int _disposed;

    /// <param name="webhooks">The validated webhooks.</param>
    /// <param name="options">The host's settings: clock, retry delay, drain time.</param>
    /// <param name="adminAddresses">Where the admin API can be reached as of now, which webhooks without <c>allowPrivate</c> must not connect to.</param>
    /// <param name="logger">Where deliveries that fail are logged.</param>
    public WebhookNotifier(IReadOnlyList<WebhookDefinition> webhooks, CutoverHostOptions options, Func<IReadOnlyList<Uri>> adminAddresses, ILogger<WebhookNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentNullException.ThrowIfNull(options);
        _time = options.Time;
        _drainTime = options.WebhookDrainTime;
        var connector = new WebhookConnector(() => new WebhookTargets(adminAddresses(), MachineAddresses()));
        _client = CreateClient(connector.ConnectAsync);
        // A pooled connection serves every request to its host, so webhooks that may reach private addresses get a pool of their own.
        _privateClient = webhooks.Any(w => w.AllowPrivate) ? CreateClient(connect: null) : null;
        var sender = new WebhookSender(_client, options.Time, options.WebhookRetryDelay, logger);
        var privateSender = _privateClient is null ? sender : new WebhookSender(_privateClient, options.Time, options.WebhookRetryDelay, logger);
        Lanes = webhooks.Select(w => new WebhookLane(w, logger)).ToArray();
        _workers = Lanes.Select(lane => Task.Run(() => lane.RunAsync(lane.Webhook.AllowPrivate ? privateSender : sender, _stopping.Token))).ToArray();
    }

    /// <summary>One lane per configured webhook, in file order (index = position).</summary>
    public IReadOnlyList<WebhookLane> Lanes { get; }

    /// <inheritdoc />
    public void Publish(RolloutEvent rolloutEvent)
    {
        ArgumentNullException.ThrowIfNull(rolloutEvent);
        PendingEvent? pending = null;
        foreach (var lane in Lanes)
        {
            if (lane.Webhook.Wants(rolloutEvent))
            {
                lane.Offer(pending ??= new PendingEvent(rolloutEvent, Guid.CreateVersion7(_time.GetUtcNow()).ToString("N")));
            }
        }
    }

    /// <summary>Nothing to do: the lanes run from construction, so an event published before the host started is not lost.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Takes no more events and gives the queued ones the drain time (or until the host's own
    /// shutdown timeout fires); whatever is still undelivered then is abandoned, counted as
    /// dropped and logged.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var lane in Lanes)
        {
            lane.Close();
        }

        var workers = Task.WhenAll(_workers);
        using var drainEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var drain = Task.Delay(_drainTime, _time, drainEnded.Token);
        if (await Task.WhenAny(workers, drain) != workers)
        {
            await _stopping.CancelAsync();
        }

        await drainEnded.CancelAsync();
        await workers.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose this once for each service it is registered as.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var lane in Lanes)
        {
            lane.Close();
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _client.Dispose();
        _privateClient?.Dispose();
    }

    /// <summary>
    /// A client of its own, apart from the data plane's: receivers are on the internet, not
    /// beside the backends, so the environment's proxy (HTTPS_PROXY) is honoured. Redirects are
    /// not followed (a webhook URL that moved is a configuration to fix, and is logged as such),
    /// and pooled connections are renewed every few minutes so a receiver's DNS change is seen.
    /// The per-attempt timeout is the sender's, on the host's clock. <paramref name="connect"/>,
    /// when given, opens every connection (<see cref="WebhookConnector"/>).
    /// </summary>
    private static HttpClient CreateClient(Func<DnsEndPoint, CancellationToken, ValueTask<Stream>>? connect)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = connect is null ? null : (context, cancellationToken) => connect(context.DnsEndPoint, cancellationToken),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Cutover");
        return client;
    }

    /// <summary>This machine's addresses, which reach an admin API listening on every interface.</summary>
    private static IEnumerable<IPAddress> MachineAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address);
}
