using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Cutover.Core.Notifications;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Kernel.Link;
using Cutover.Kernel.Routing;
using Cutover.Server.Control;
using Cutover.Server.Rollout;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;

namespace Cutover.Server.Admin;

/// <summary>
/// <c>GET /api/events</c>: server-sent events that keep the in-process SDKs deciding by the
/// current state. On connect, a <see cref="LinkEvents.Snapshot"/> of every migration; then each
/// change (a command, a plan's move, an apply, another replica's change picked up from the
/// store) as a <see cref="LinkEvents.State"/> event the moment this replica knows it; each plan
/// event this replica tells its webhooks (a step, a halt, a rollback…) as a
/// <see cref="LinkEvents.Rollout"/> event in the webhooks' <c>cutover.event/v1</c> form; and a
/// comment every <see cref="KeepAlive"/> so proxies and clients see a quiet stream is alive.
/// </summary>
internal static class EventStream
{
    /// <summary>How long the stream may stay silent before a keep-alive comment.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(5);

    // Changes a slow client may fall behind by; past that its stream ends and it reconnects to a
    // fresh snapshot, rather than make a state change wait for it.
    private const int Backlog = 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task StreamAsync(HttpContext context, MigrationControl control, RolloutControl rollouts, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        // Ends with the host too: a shutdown waits for open requests, and this one never finishes on its own.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var stopping = ending.Token;
        var changes = Channel.CreateBounded<(string Name, string Data)>(new BoundedChannelOptions(Backlog) { SingleReader = true });
        void Offer(string name, string data)
        {
            if (!changes.Writer.TryWrite((name, data)))
            {
                changes.Writer.TryComplete();
            }
        }

        void OnChange(MigrationState state) => Offer(LinkEvents.State, JsonSerializer.Serialize(Event(state), Json));
        void OnRollout(RolloutEvent told) =>
            Offer(LinkEvents.Rollout, Encoding.UTF8.GetString(WebhookPayload.Json(told, Guid.CreateVersion7(told.Time).ToString("N"))));

        // Subscribed before the snapshot is read, so no change falls between the two; one seen twice is harmless (versions only grow).
        control.StateChanged += OnChange;
        rollouts.Published += OnRollout;
        try
        {
            var response = context.Response;
            response.ContentType = LinkEvents.ContentType;
            response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await WriteAsync(response, LinkEvents.Snapshot, JsonSerializer.Serialize(new StateSnapshot([.. control.States.Select(Event)]), Json), stopping);
            while (await NextAsync(changes.Reader, response, time, stopping))
            {
                while (changes.Reader.TryRead(out var change))
                {
                    await WriteAsync(response, change.Name, change.Data, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The client went away, or the host is stopping.
        }
        finally
        {
            control.StateChanged -= OnChange;
            rollouts.Published -= OnRollout;
        }
    }

    /// <summary>The state of one migration as the stream sends it.</summary>
    public static MigrationStateEvent Event(MigrationState state) => new(state.Name, state.Mode.ToWire(), state.Weight.Percent, state.Version);

    /// <summary>Waits for the next change, writing a keep-alive comment whenever the stream has been quiet for <see cref="KeepAlive"/>; false once the backlog overflowed.</summary>
    private static async Task<bool> NextAsync(ChannelReader<(string Name, string Data)> changes, HttpResponse response, TimeProvider time, CancellationToken stopping)
    {
        while (true)
        {
            using var quiet = new CancellationTokenSource(KeepAlive, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, quiet.Token);
            try
            {
                return await changes.WaitToReadAsync(either.Token);
            }
            catch (OperationCanceledException) when (quiet.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                await response.WriteAsync(": keep-alive\n\n", stopping);
                await response.Body.FlushAsync(stopping);
            }
        }
    }

    private static async Task WriteAsync(HttpResponse response, string name, string data, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {name}\ndata: {data}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
