using System.Runtime.InteropServices;

namespace Cutover.Core.Metrics;

/// <summary>
/// Request and error counts of one side of one migration since the process started. Recorded
/// on the request path with one interlocked add each; padded to its own cache line so the two
/// sides do not slow each other down on different cores.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public sealed class SideCounters
{
    [FieldOffset(64)]
    private long _requests;

    [FieldOffset(72)]
    private long _errors;

    /// <summary>Requests forwarded to this side, finished or failed.</summary>
    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that ended in a 5xx from the backend, a refused connection or a timeout.</summary>
    public long Errors => Volatile.Read(ref _errors);

    /// <summary>Counts one finished request.</summary>
    public void Record(bool failed)
    {
        Interlocked.Increment(ref _requests);
        if (failed)
        {
            Interlocked.Increment(ref _errors);
        }
    }
}
