namespace Cutover.Server.Notifications;

/// <summary>
/// What became of one webhook's events since the process started, for <c>GET /metrics</c>: an
/// operator alerts on failed and dropped deliveries rather than reading logs.
/// </summary>
internal sealed class WebhookCounters
{
    private long _delivered;
    private long _failed;
    private long _dropped;
    private long _retries;

    /// <summary>Events the receiver accepted (2xx).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Events given up on: refused with a 4xx other than 429, not sent because the receiver's address is one webhooks may not reach, or still failing after every retry.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events never attempted in full: pushed out of a full queue, published after shutdown began, or still queued when it ended.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Attempts after the first, over all events.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public void CountDelivered() => Interlocked.Increment(ref _delivered);

    public void CountFailed() => Interlocked.Increment(ref _failed);

    public void CountDropped(long events = 1) => Interlocked.Add(ref _dropped, events);

    public void CountRetry() => Interlocked.Increment(ref _retries);
}
