using Cutover.Client.Comparison;
using Cutover.Client.Decisions;
using Cutover.Client.Reporting;
using Cutover.Core.Metrics;

namespace Cutover.Client.Running;

/// <summary>
/// Runs the calls that do more than call legacy: a shadow (both sides, compared), a canary's
/// sides, the candidate with its fallback. Every call is counted in the same counters the proxy
/// keeps for a migration (<see cref="MetricsRegistry"/>), so the control plane judges it by the
/// same gates. The candidate's failures are caught and counted; only legacy's failures, and a
/// serving candidate's without fallback, reach the caller.
/// </summary>
internal sealed class MigrationRunner(MetricsRegistry metrics, MigrationPolicies policies, DivergenceRecorder divergences, TimeProvider time)
{
    /// <summary>Runs one call on <paramref name="route"/> (anything but <see cref="Route.Legacy"/>, which the client runs itself).</summary>
    public Task<T> RunAsync<T>(
        Route route,
        string migration,
        Func<CancellationToken, Task<T>> legacy,
        Func<CancellationToken, Task<T>> candidate,
        string? stickyKey,
        RunOptions<T>? options,
        CancellationToken cancellationToken)
    {
        var counters = metrics.For(migration);
        var policy = policies.For(migration);
        return route switch
        {
            Route.Shadow => ShadowAsync(counters, policy, migration, legacy, candidate, stickyKey, options, cancellationToken),
            Route.Candidate or Route.CandidateOnly => ServeByCandidateAsync(
                counters, migration, legacy, candidate, options?.CandidateTimeout ?? policy.CandidateTimeout,
                route == Route.Candidate && (options?.FallbackToLegacy ?? policy.FallbackToLegacy), cancellationToken),
            _ => ServeAsync(counters.Legacy, legacy, cancellationToken),
        };
    }

    private async Task<T> ShadowAsync<T>(
        MigrationCounters counters,
        MigrationPolicy policy,
        string migration,
        Func<CancellationToken, Task<T>> legacy,
        Func<CancellationToken, Task<T>> candidate,
        string? stickyKey,
        RunOptions<T>? options,
        CancellationToken cancellationToken)
    {
        if (options?.RunIf is { } runIf && !runIf())
        {
            counters.Shadow.RecordSkipped();
            return await ServeAsync(counters.Legacy, legacy, cancellationToken).ConfigureAwait(false);
        }

        var timeout = options?.CandidateTimeout ?? policy.CandidateTimeout;
        var shadow = new ShadowCall<T>(divergences, counters.Shadow, migration, stickyKey, options, policy, cancellationToken);
        if ((options?.ShadowExecution ?? policy.ShadowExecution) == ShadowExecution.AfterLegacy)
        {
            var served = await ServeOrSkipAsync(counters, legacy, cancellationToken).ConfigureAwait(false);
            shadow.Compare(served, await CandidateAttempt<T>.RunAsync(candidate, timeout, time, cancellationToken).ConfigureAwait(false));
            return served;
        }

        var running = Task.Run(() => CandidateAttempt<T>.RunAsync(candidate, timeout, time, cancellationToken), CancellationToken.None);
        var result = await ServeOrSkipAsync(counters, legacy, cancellationToken).ConfigureAwait(false);
        _ = running.ContinueWith(attempt => shadow.Compare(result, attempt.Result), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return result;
    }

    /// <summary>Legacy in a shadowed call: when it fails there is nothing to compare, so the call counts as skipped, as in the proxy.</summary>
    private async Task<T> ServeOrSkipAsync<T>(MigrationCounters counters, Func<CancellationToken, Task<T>> legacy, CancellationToken cancellationToken)
    {
        try
        {
            return await ServeAsync(counters.Legacy, legacy, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            counters.Shadow.RecordSkipped();
            throw;
        }
    }

    private async Task<T> ServeByCandidateAsync<T>(
        MigrationCounters counters,
        string migration,
        Func<CancellationToken, Task<T>> legacy,
        Func<CancellationToken, Task<T>> candidate,
        TimeSpan timeout,
        bool fallback,
        CancellationToken cancellationToken)
    {
        counters.Candidate.Start();
        var attempt = await CandidateAttempt<T>.RunAsync(candidate, timeout, time, cancellationToken).ConfigureAwait(false);
        // A caller that gave up says nothing about the candidate, as a client that hung up says nothing about a backend.
        counters.Candidate.Record(attempt.Microseconds, failed: !attempt.Succeeded && !cancellationToken.IsCancellationRequested);
        if (attempt.Succeeded)
        {
            return attempt.Value!;
        }

        if (fallback && !cancellationToken.IsCancellationRequested)
        {
            return await ServeAsync(counters.Legacy, legacy, cancellationToken).ConfigureAwait(false);
        }

        return attempt.Throw(migration);
    }

    /// <summary>Runs a side that serves the caller, counted and timed; its exceptions reach the caller.</summary>
    private async Task<T> ServeAsync<T>(SideCounters side, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        side.Start();
        var started = time.GetTimestamp();
        try
        {
            var result = await run(cancellationToken).ConfigureAwait(false);
            side.Record((long)time.GetElapsedTime(started).TotalMicroseconds, failed: false);
            return result;
        }
        catch
        {
            side.Record((long)time.GetElapsedTime(started).TotalMicroseconds, failed: !cancellationToken.IsCancellationRequested);
            throw;
        }
    }

    /// <summary>The comparison half of one shadowed call, done when the candidate has answered.</summary>
    private sealed class ShadowCall<T>(
        DivergenceRecorder divergences,
        ShadowCounters counters,
        string migration,
        string? stickyKey,
        RunOptions<T>? options,
        MigrationPolicy policy,
        CancellationToken cancellationToken)
    {
        /// <summary>Compares and counts; never throws, since nobody waits for it in a concurrent shadow.</summary>
        public void Compare(T legacy, CandidateAttempt<T> attempt)
        {
            if (!attempt.Succeeded && cancellationToken.IsCancellationRequested)
            {
                counters.RecordSkipped();
                return;
            }

            counters.RecordMirrored();
            if (!attempt.Succeeded)
            {
                counters.RecordCandidateError(attempt.Reason(migration));
                return;
            }

            var candidate = attempt.Value!;
            bool equal;
            try
            {
                var comparison = options?.Comparison ?? (policy.Json is { } rules ? ResultComparison<T>.Json(rules) : ResultComparison<T>.Default);
                var outcome = comparison.Compare(legacy, candidate);
                equal = outcome.IsEqual || options?.Ignore?.Invoke(legacy, candidate) == true;
                if (!equal)
                {
                    divergences.Record(migration, stickyKey, legacy, candidate, outcome, options?.Render);
                }
            }
            catch (Exception e)
            {
                counters.RecordCandidateError($"{migration}: comparing the results threw {e.GetType().Name}: {e.Message}");
                return;
            }

            counters.RecordCompared(equal);
        }
    }
}
