namespace Cutover.Kernel.Link;

/// <summary>
/// How a follower of the control plane's event stream (the SDK's link, <c>cutover status
/// --watch</c>) waits before reopening a dropped stream: <see cref="First"/>, doubling up to
/// <see cref="Max"/>, and from <see cref="First"/> again once a stream opens. A control plane
/// back up is seen within <see cref="Max"/>, and one that stays down is not asked more often.
/// </summary>
/// <param name="time">The clock the waits run on.</param>
public sealed class ReconnectBackoff(TimeProvider time)
{
    /// <summary>The first wait after a stream drops.</summary>
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between tries.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    private TimeSpan _next = First;

    /// <summary>Starts over from <see cref="First"/>: a stream opened.</summary>
    public void Reset() => _next = First;

    /// <summary>
    /// Waits before the next try and doubles the wait after it; false when
    /// <paramref name="cancellationToken"/> ended the wait, so the follower stops instead of trying again.
    /// </summary>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_next, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Max.Ticks));
        return true;
    }
}
