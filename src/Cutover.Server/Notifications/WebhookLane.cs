using System.Threading.Channels;
using Cutover.Core.Notifications;
using Cutover.Core.Rollout;
using Cutover.Server.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Notifications;

/// <summary>
/// One webhook's queue and its single worker, which delivers the events one after another so a
/// receiver sees them in the order they happened. The queue is bounded: when a receiver has been
/// away for long enough to fill it, the oldest event is dropped (and counted and logged) rather
/// than the newest, which says most about where the rollout is now.
/// </summary>
internal sealed class WebhookLane
{
    /// <summary>How many events may wait per webhook. Rollout events come a few an hour, so a full queue means a receiver that is gone.</summary>
    public const int Capacity = 1000;

    private readonly Channel<PendingEvent> _queue;
    private readonly ILogger _logger;

    public WebhookLane(WebhookDefinition webhook, ILogger logger)
    {
        Webhook = webhook;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingEvent>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            Dropped);
    }

    public WebhookDefinition Webhook { get; }

    public WebhookCounters Counters { get; } = new();

    /// <summary>Events waiting, not counting the one being delivered.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Queues an event without waiting; after <see cref="Close"/> it is counted as dropped.</summary>
    public void Offer(PendingEvent pending)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            Counters.CountDropped();
        }
    }

    /// <summary>Takes no more events; the worker ends once the queued ones are delivered.</summary>
    public void Close() => _queue.Writer.TryComplete();

    /// <summary>Delivers queued events in order until the lane is closed and empty, or <paramref name="stopping"/> abandons the rest.</summary>
    public async Task RunAsync(WebhookSender sender, CancellationToken stopping)
    {
        var inFlight = 0;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping))
            {
                while (_queue.Reader.TryRead(out var pending))
                {
                    inFlight = 1;
                    if (await sender.SendAsync(Webhook, Counters, pending, stopping))
                    {
                        Counters.CountDelivered();
                    }
                    else
                    {
                        Counters.CountFailed();
                    }

                    inFlight = 0;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            var abandoned = inFlight;
            while (_queue.Reader.TryRead(out _))
            {
                abandoned++;
            }

            if (abandoned > 0)
            {
                Counters.CountDropped(abandoned);
                CutoverLog.WebhookAbandoned(_logger, Webhook.Description, abandoned);
            }
        }
    }

    private void Dropped(PendingEvent oldest)
    {
        Counters.CountDropped();
        CutoverLog.WebhookQueueFull(_logger, Webhook.Description, Capacity, oldest.Event.Kind.ToWire(), oldest.Event.Migration, oldest.Id);
    }
}
