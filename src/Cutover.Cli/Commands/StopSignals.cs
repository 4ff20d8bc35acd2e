using System.Runtime.InteropServices;

namespace Cutover.Cli.Commands;

/// <summary>
/// Ctrl+C and SIGTERM for a command that stops in two steps, as a backfill run does: the first
/// signal cancels <see cref="Stopping"/> (finish the work in hand, then stop) and says so, the
/// second cancels <see cref="Now"/> (stop at once). The process is never ended by the signal
/// itself, so the command always gets to record where it stopped and print it.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _now;
    private readonly Action _firstSignal;
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    /// <param name="cancellationToken">The command's own token, which stops it at once.</param>
    /// <param name="firstSignal">Says what the first signal does (the second needs no word).</param>
    public StopSignals(CancellationToken cancellationToken, Action firstSignal)
    {
        _now = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _firstSignal = firstSignal;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal: finish the current step, then stop.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled by the second signal, or the command's own token: stop at once.</summary>
    public CancellationToken Now => _now.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
        _now.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            _firstSignal();
            _stopping.Cancel();
        }
        else
        {
            _now.Cancel();
        }
    }
}
