using System.Net.Sockets;
using Cutover.Kernel.Routing;
using Cutover.Server.Diagnostics;
using Cutover.Server.Outbound;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Forwarding;

/// <summary>
/// Logs failed forwards without flooding the log during an outage: the first failure of a kind
/// (its migration, side and what went wrong) is logged at once, in one line; the ones after it
/// are counted, and every <see cref="Interval"/> while they go on, one line tells how many there
/// were. A kind that stayed quiet for a whole interval is forgotten, so its next failure is logged
/// at once again. Connection failures and timeouts are what backends do, and carry no stack
/// trace; only a failure of another cause is logged with its exception.
/// </summary>
internal sealed class ForwardFaults : IDisposable
{
    /// <summary>How long failures of one kind are counted before their count is logged.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _repeats = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly ITimer _timer;

    public ForwardFaults(ILogger<DataPlane> logger, TimeProvider time)
    {
        _logger = logger;
        _timer = time.CreateTimer(_ => Report(), null, Interval, Interval);
    }

    /// <summary>
    /// Notes <paramref name="count"/> forwards that failed with <paramref name="problem"/>
    /// (<see cref="ForwarderErrors.Describe"/>) and the <paramref name="exception"/> of the first.
    /// </summary>
    public void Record(string? migration, Side side, string problem, Exception? exception, int count = 1)
    {
        var failure = BackendProblem.Detail(migration, side, problem);
        lock (_gate)
        {
            if (_repeats.TryGetValue(failure, out var repeats))
            {
                _repeats[failure] = repeats + count;
                return;
            }

            _repeats[failure] = count - 1;
        }

        CutoverLog.ForwardFailed(_logger, failure, (int)Interval.TotalSeconds, IsExpected(exception) ? null : exception);
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>Logs how often each kind failed since the last report, and forgets the kinds that did not.</summary>
    private void Report()
    {
        List<KeyValuePair<string, int>> repeated;
        lock (_gate)
        {
            repeated = [.. _repeats.Where(kind => kind.Value > 0)];
            _repeats.Clear();
            foreach (var (failure, _) in repeated)
            {
                _repeats[failure] = 0;
            }
        }

        foreach (var (failure, count) in repeated)
        {
            CutoverLog.ForwardFailedAgain(_logger, failure, count, (int)Interval.TotalSeconds);
        }
    }

    /// <summary>A refused, reset or timed-out connection, or no exception at all: what a backend that is down or slow does.</summary>
    private static bool IsExpected(Exception? exception) => exception switch
    {
        null or OperationCanceledException or TimeoutException or SocketException or IOException => true,
        // A handshake refused or a version not spoken: the logged sentence says why and what to change; a stack trace adds nothing.
        HttpRequestException failure when TransportFailure.Explain(failure) is not null => true,
        HttpRequestException { InnerException: var inner } => inner is null || IsExpected(inner),
        _ => false,
    };
}
