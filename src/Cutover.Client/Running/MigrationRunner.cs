using Cutover.Client.Comparison;
using Cutover.Client.Decisions;
using Cutover.Client.Reporting;
using Cutover.Client.Setup;
using Cutover.Kernel.Metrics;

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
    public Task<T> RunAsync<T>(Route route, MigrationCall<T> call)
    {
        var counters = metrics.For(call.Migration);
        var policy = policies.For(call.Migration);
        return route switch
        {
            Route.Shadow => ShadowAsync(counters, policy, call),
            Route.Candidate or Route.CandidateOnly => ServeByCandidateAsync(
                counters, call, call.Options?.CandidateTimeout ?? policy.CandidateTimeout,
                route == Route.Candidate && (call.Options?.FallbackToLegacy ?? policy.FallbackToLegacy)),
            _ => ServeAsync(counters.Legacy, call.Legacy, call.CancellationToken),
        };
    }

    /// <summary>
    /// Runs legacy for a migration the control plane has in <c>legacy</c> mode, counting the call and
    /// whether it failed as the proxy counts a legacy-mode request (a plan's <c>metrics-flowing</c>
    /// check and the dashboard need the migration's traffic before its first step), but not timing
    /// it: nothing is compared in this mode, and two clock reads would cost more than the rest of the
    /// call. A legacy task that is already complete is returned as it is, so the common synchronous
    /// case allocates nothing.
    /// </summary>
    public Task<T> ServeLegacyAsync<T>(string migration, Func<CancellationToken, Task<T>> legacy, CancellationToken cancellationToken)
    {
        var side = metrics.For(migration).Legacy;
        Task<T> task;
        try
        {
            task = legacy(cancellationToken);
        }
        catch
        {
            side.Count(failed: !cancellationToken.IsCancellationRequested);
            throw;
        }

        if (!task.IsCompleted)
        {
            return CountWhenDoneAsync(side, task, cancellationToken);
        }

        side.Count(failed: !task.IsCompletedSuccessfully && !cancellationToken.IsCancellationRequested);
        return task;
    }

    /// <summary>The synchronous twin of <see cref="ServeLegacyAsync{T}"/>.</summary>
    public T ServeLegacy<T>(string migration, Func<T> legacy)
    {
        var side = metrics.For(migration).Legacy;
        try
        {
            var result = legacy();
            side.Count(failed: false);
            return result;
        }
        catch
        {
            side.Count(failed: true);
            throw;
        }
    }

    private async Task<T> ShadowAsync<T>(MigrationCounters counters, MigrationPolicy policy, MigrationCall<T> call)
    {
        var (options, cancellationToken) = (call.Options, call.CancellationToken);
        if (options?.RunIf is { } runIf && !runIf())
        {
            counters.Shadow.RecordSkipped();
            return await ServeAsync(counters.Legacy, call.Legacy, cancellationToken).ConfigureAwait(false);
        }

        var timeout = options?.CandidateTimeout ?? policy.CandidateTimeout;
        var shadow = new ShadowCall<T>(divergences, counters.Shadow, call, policy);
        if ((options?.ShadowExecution ?? policy.ShadowExecution) == ShadowExecution.AfterLegacy)
        {
            var served = await ServeOrSkipAsync(counters, call.Legacy, cancellationToken).ConfigureAwait(false);
            shadow.Compare(served, await CandidateAttempt<T>.RunAsync(call.Candidate, timeout, time, cancellationToken).ConfigureAwait(false));
            return served;
        }

        var running = Task.Run(() => CandidateAttempt<T>.RunAsync(call.Candidate, timeout, time, cancellationToken), CancellationToken.None);
        var result = await ServeOrSkipAsync(counters, call.Legacy, cancellationToken).ConfigureAwait(false);
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

    private async Task<T> ServeByCandidateAsync<T>(MigrationCounters counters, MigrationCall<T> call, TimeSpan timeout, bool fallback)
    {
        var cancellationToken = call.CancellationToken;
        counters.Candidate.Start();
        var attempt = await CandidateAttempt<T>.RunAsync(call.Candidate, timeout, time, cancellationToken).ConfigureAwait(false);
        // A caller that gave up says nothing about the candidate, as a client that hung up says nothing about a backend.
        counters.Candidate.Record(attempt.Microseconds, failed: !attempt.Succeeded && !cancellationToken.IsCancellationRequested);
        if (attempt.Succeeded)
        {
            return attempt.Value!;
        }

        if (fallback && !cancellationToken.IsCancellationRequested)
        {
            return await ServeAsync(counters.Legacy, call.Legacy, cancellationToken).ConfigureAwait(false);
        }

        return attempt.Throw(call.Migration);
    }

    /// <summary>Runs a side that serves the caller, counted and timed; its exceptions reach the caller.</summary>
    private async Task<T> ServeAsync<T>(SideCounters side, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        side.Start();
        var started = time.GetTimestamp();
        try
        {
            var result = await run(cancellationToken).ConfigureAwait(false);
            side.Record(MicrosecondsSince(started), failed: false);
            return result;
        }
        catch
        {
            side.Record(MicrosecondsSince(started), failed: !cancellationToken.IsCancellationRequested);
            throw;
        }
    }

    /// <summary>Waits for a legacy-mode call still running and counts how it ended.</summary>
    private static async Task<T> CountWhenDoneAsync<T>(SideCounters side, Task<T> serving, CancellationToken cancellationToken)
    {
        try
        {
            var result = await serving.ConfigureAwait(false);
            side.Count(failed: false);
            return result;
        }
        catch
        {
            side.Count(failed: !cancellationToken.IsCancellationRequested);
            throw;
        }
    }

    private long MicrosecondsSince(long started) => (long)time.GetElapsedTime(started).TotalMicroseconds;

    /// <summary>The comparison half of one shadowed call, done when the candidate has answered.</summary>
    private sealed class ShadowCall<T>(DivergenceRecorder divergences, ShadowCounters counters, MigrationCall<T> call, MigrationPolicy policy)
    {
        /// <summary>Compares and counts; never throws, since nobody waits for it in a concurrent shadow.</summary>
        public void Compare(T legacy, CandidateAttempt<T> attempt)
        {
            if (!attempt.Succeeded && call.CancellationToken.IsCancellationRequested)
            {
                counters.RecordSkipped();
                return;
            }

            counters.RecordMirrored();
            if (!attempt.Succeeded)
            {
                counters.RecordCandidateError(attempt.Reason(call.Migration));
                return;
            }

            var candidate = attempt.Value!;
            var options = call.Options;
            bool equal;
            try
            {
                var comparison = options?.Comparison ?? (policy.Json is { } rules ? ResultComparison<T>.Json(rules) : ResultComparison<T>.Default);
                var outcome = comparison.Compare(legacy, candidate);
                equal = outcome.IsEqual || options?.Ignore?.Invoke(legacy, candidate) == true;
                if (!equal)
                {
                    divergences.Record(call.Migration, call.StickyKey, legacy, candidate, outcome, options?.Render ?? comparison.Text);
                }
            }
            catch (Exception e)
            {
                counters.RecordCandidateError($"{call.Migration}: comparing the results threw {e.GetType().Name}: {e.Message}");
                return;
            }

            counters.RecordCompared(equal);
        }
    }
}
