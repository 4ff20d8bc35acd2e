using System.Globalization;
using System.Runtime.ExceptionServices;

namespace Cutover.Client.Running;

/// <summary>
/// What came of one call of the candidate: its result, or the exception it threw, or that it gave
/// no answer within the timeout. Failures are caught here, so whoever ran it decides whether the
/// caller ever sees them (shadow never; canary and candidate only without fallback).
/// </summary>
internal sealed class CandidateAttempt<T>
{
    private readonly ExceptionDispatchInfo? _error;
    private readonly TimeSpan _timeout;

    private CandidateAttempt(T? value, ExceptionDispatchInfo? error, bool timedOut, TimeSpan timeout, TimeSpan elapsed)
    {
        Value = value;
        _error = error;
        TimedOut = timedOut;
        _timeout = timeout;
        Elapsed = elapsed;
    }

    /// <summary>The candidate's result, when it succeeded.</summary>
    public T? Value { get; }

    /// <summary>Whether the candidate returned a result in time.</summary>
    public bool Succeeded => _error is null && !TimedOut;

    /// <summary>Whether the candidate gave no answer within the timeout.</summary>
    public bool TimedOut { get; }

    /// <summary>How long the call took, up to the timeout.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>How many whole microseconds the call took, as the metrics record latencies.</summary>
    public long Microseconds => (long)Elapsed.TotalMicroseconds;

    /// <summary>Runs the candidate, cancelling its token and giving up on it after <paramref name="timeout"/>.</summary>
    public static async Task<CandidateAttempt<T>> RunAsync(Func<CancellationToken, Task<T>> candidate, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<T>? running = null;
        try
        {
            running = candidate(stop.Token);
            var value = await running.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return new CandidateAttempt<T>(value, null, false, timeout, time.GetElapsedTime(started));
        }
        catch (TimeoutException) when (running is { IsCompleted: false } && !cancellationToken.IsCancellationRequested)
        {
            // Given up on: told to stop, and observed, or a failure after this point surfaces as an unobserved task exception.
            await stop.CancelAsync().ConfigureAwait(false);
            _ = running.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return new CandidateAttempt<T>(default, null, true, timeout, time.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            if (running is { IsCompleted: false })
            {
                // The caller gave up first: the candidate still runs, so its failure must be observed too.
                _ = running.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }

            return new CandidateAttempt<T>(default, ExceptionDispatchInfo.Capture(e), false, timeout, time.GetElapsedTime(started));
        }
    }

    /// <summary>Why the candidate failed, as kept in the shadow counters' last candidate error.</summary>
    public string Reason(string migration) => TimedOut
        ? string.Create(CultureInfo.InvariantCulture, $"{migration}: the candidate gave no answer within its timeout ({_timeout.TotalMilliseconds} ms)")
        : $"{migration}: the candidate threw {_error!.SourceException.GetType().Name}: {_error.SourceException.Message}";

    /// <summary>Throws the candidate's own exception, or a <see cref="TimeoutException"/> naming the migration.</summary>
    public T Throw(string migration)
    {
        _error?.Throw();
        throw new TimeoutException(Reason(migration) + "; raise Cutover:Migrations:" + migration + ":CandidateTimeout if it needs longer.");
    }
}
