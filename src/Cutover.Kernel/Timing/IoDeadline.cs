namespace Cutover.Kernel.Timing;

/// <summary>
/// Deadlines on waits for real input and output: a backend's, a probe's or the control plane's
/// answer, an event stream's next byte, copies still in flight at shutdown. These run on the
/// system clock on purpose, not on the <see cref="TimeProvider"/> injected to schedule Cutover's
/// own work (bake times, metrics windows, retries): the network does not wait for a test's manual
/// clock, so a deadline on it would never fire and a hung peer would hang the test. Everything
/// else takes the injected clock; BannedSymbols.txt refuses the clock-free APIs elsewhere.
/// </summary>
public static class IoDeadline
{
    /// <summary>
    /// A source cancelled when <paramref name="cancellationToken"/> is, or once
    /// <paramref name="timeout"/> has passed in real time. The caller disposes it.
    /// </summary>
    public static CancellationTokenSource After(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
#pragma warning disable RS0030 // The one place a deadline runs on real time: see the type's summary.
        deadline.CancelAfter(timeout);
#pragma warning restore RS0030
        return deadline;
    }

    /// <summary>
    /// Waits for <paramref name="task"/> at most <paramref name="timeout"/> of real time; true when
    /// it ended within it.
    /// </summary>
    public static async Task<bool> WithinAsync(Task task, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(task);
        return await Task.WhenAny(task, Task.Delay(timeout, TimeProvider.System)).ConfigureAwait(false) == task;
    }
}
