using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Cutover.Backfill;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Backfill.Verifying;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Core.Values;
using Cutover.Store;

namespace Cutover.Server.Rollout;

/// <summary>
/// The backfill jobs of plans' backfill steps, run by the replica that runs the plans: one run per
/// migration, started when its step is first looked at, and followed at each look until it ends.
/// A job with a checkpoint is resumed from it, so a replica that takes the plans over carries on
/// where the one that died stopped (once that one's hold on the job expires). A job is copied,
/// then verified (with a change column, rows the source changed meanwhile are caught up and
/// verified again); a run is stopped between batches (checkpointed) when its step is left, the plan
/// pauses, or the process stops. A step with <c>catchUp</c> keeps catch-up passes running once it
/// is done, one follower per migration, until the plan ends.
/// </summary>
internal sealed class PlanBackfills(TimeProvider time)
{
    /// <summary>How long to wait before asking again for a job another process holds.</summary>
    private static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times a copy whose verify finds rows that differ is caught up and verified again,
    /// when its job has a change column: a source that takes writes while it is copied settles in
    /// one or two rounds, and one that never does pauses the plan rather than looping.
    /// </summary>
    private const int LiveSourceRounds = 3;

    private readonly Dictionary<string, Run> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CancellationTokenSource> _followers = new(StringComparer.Ordinal);

    // The name inside each job file read so far, so a step's job is found in the store without reading its file again.
    private readonly ConcurrentDictionary<string, string> _jobNames = new(StringComparer.Ordinal);

    /// <summary>
    /// The name of the job a backfill step runs, under which the store keeps its checkpoint: the
    /// stored job's, or the one inside the job file (read once); null when the file cannot be read.
    /// </summary>
    public async Task<string?> JobNameAsync(BackfillStep step, CancellationToken cancellationToken)
    {
        if (step.JobFile is not { } file)
        {
            return step.JobName;
        }

        if (_jobNames.TryGetValue(file, out var known))
        {
            return known;
        }

        try
        {
            return _jobNames[file] = (await BackfillJobFile.LoadAsync(file, cancellationToken)).Name;
        }
        catch (BackfillJobException)
        {
            return null;
        }
    }

    /// <summary>
    /// Follows the job of <paramref name="step"/>, the current step of <paramref name="migration"/>'s
    /// plan: starts it when no run is under way for this step, and returns its outcome once it has
    /// ended: a success again at each look until the step is left (a plan waiting for its window
    /// acts on it later), a failure once (the next look starts a new run); null while it runs (or
    /// waits for a hold held elsewhere).
    /// </summary>
    public BackfillOutcome? Poll(IBackfillStore store, string migration, RolloutState rollout, BackfillStep step, CancellationToken stopping)
    {
        var key = (rollout.Step, rollout.StepStartedAt);
        lock (_runs)
        {
            if (_runs.TryGetValue(migration, out var run))
            {
                var now = time.GetUtcNow();
                if (run.Key == key && !run.Work.IsCompleted && !run.Verifying && now - run.Checkpointed > step.StallAfter)
                {
                    _runs.Remove(migration);
                    run.Stop();
                    return Stalled(run, step);
                }

                if (run.Key == key && run.Work.IsCompleted && run.Work.Result is { } outcome)
                {
                    // A failure pauses the plan once; the person's resume then runs the job again
                    // rather than meeting the same old failure, even before a look saw the plan paused.
                    if (!outcome.Done)
                    {
                        _runs.Remove(migration);
                        run.Stop();
                    }

                    return outcome;
                }

                if (run.Key == key && (!run.Work.IsCompleted || now < run.RetryAfter))
                {
                    return null;
                }

                // Its step was left, or it is time to ask again for a job held elsewhere.
                _runs.Remove(migration);
                run.Stop();
            }

            var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var started = new Run(key, stop, time.GetUtcNow());
            started.Work = RunAsync(store, step, rollout.StepStartedAt, started, stop.Token);
            _runs[migration] = started;
            return null;
        }
    }

    /// <summary>
    /// Keeps the catch-up passes of <paramref name="step"/>, a done step of <paramref name="migration"/>'s
    /// plan, running every <see cref="BackfillStep.CatchUpEvery"/>: started here when they are not
    /// (after a restart or a takeover too), until <see cref="StopFollowing"/>.
    /// </summary>
    public void Follow(IBackfillStore store, string migration, BackfillStep step, CancellationToken stopping)
    {
        lock (_followers)
        {
            if (_followers.ContainsKey(migration))
            {
                return;
            }

            var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            _followers[migration] = stop;
            _ = FollowAsync(store, step, stop.Token).ContinueWith(
                _ =>
                {
                    // Ended by the process stopping rather than by StopFollowing: forget it before disposing it.
                    lock (_followers)
                    {
                        if (_followers.TryGetValue(migration, out var current) && current == stop)
                        {
                            _followers.Remove(migration);
                        }
                    }

                    stop.Dispose();
                },
                TaskScheduler.Default);
        }
    }

    /// <summary>Stops a migration's catch-up passes: the plan ended, or has no done catch-up step any more.</summary>
    public void StopFollowing(string migration)
    {
        lock (_followers)
        {
            if (_followers.Remove(migration, out var stop))
            {
                stop.Cancel();
            }
        }
    }

    /// <summary>Stops the run of a migration's plan, if one is under way: its step was left or the plan stopped.</summary>
    public void Stop(string migration)
    {
        lock (_runs)
        {
            if (_runs.Remove(migration, out var run))
            {
                run.Stop();
            }
        }
    }

    /// <summary>Copies (or resumes) and verifies; null when another process holds the job, to ask again later.</summary>
    private async Task<BackfillOutcome?> RunAsync(IBackfillStore store, BackfillStep step, DateTimeOffset stepStartedAt, Run run, CancellationToken stopping)
    {
        // Off the orchestrator's tick: a job runs for minutes.
        await Task.Yield();
        var name = step.JobName ?? Path.GetFileName(step.JobFile!);
        try
        {
            var job = step.JobFile is { } file ? await BackfillJobFile.LoadAsync(file, stopping) : await StoredAsync(store, step.JobName!, stopping);
            name = job.Name;
            if (step.JobFile is { } read)
            {
                _jobNames[read] = name;
            }

            if (step.CatchUpEvery is not null && job.ChangeColumn is null)
            {
                throw new BackfillRefusedException($"Backfill job '{name}' has no changeColumn, which the step's catchUp needs to find the rows changed since; add one to the job, or leave catchUp out of the step.");
            }

            var record = await store.GetBackfillAsync(job.Name, stopping);
            var runner = new BackfillRunner(store, time) { Stopping = stopping, Progress = p => run.Checkpointed = p.Record.UpdatedAt };
            if (record is null || (record.Status == BackfillStatus.Completed && record.RunStartedAt < stepStartedAt))
            {
                record = await runner.RunAsync(job, restart: false, stopping);
            }
            else if (record.Status != BackfillStatus.Completed)
            {
                record = await runner.ResumeAsync(job.Name, stopping);
            }

            // A verify checkpoints nothing, and a large table takes a while: it is not a stall.
            run.Verifying = true;
            var verifier = new BackfillVerifier(store, time);
            var report = await verifier.VerifyAsync(job.Name, repair: false, cancellationToken: stopping);
            var caughtUp = new List<long>();

            // A live source changes rows behind the cursor while they are copied: with a change
            // column, catch-up passes copy them again before the differences count against the copy.
            for (var round = 0; !report.Identical && job.ChangeColumn is not null && round < LiveSourceRounds; round++)
            {
                caughtUp.AddRange((await runner.CatchUpAsync(job.Name, stopping)).PassRows);
                report = await verifier.VerifyAsync(job.Name, repair: false, cancellationToken: stopping);
            }

            var evidence = Evidence(job.Name, record, report, caughtUp);
            var copied = caughtUp.Count == 0
                ? $"{record.RowsCopied} rows copied"
                : $"{record.RowsCopied} rows copied, {Count(caughtUp.Sum(), "row")} changed meanwhile copied again by {Count(caughtUp.Count, "catch-up pass")}";
            return report.Identical
                ? new BackfillOutcome(true, $"backfill {job.Name} completed: {copied}, and verify found the target identical ({report.TargetRows} rows)", evidence)
                : new BackfillOutcome(false,
                    $"backfill {job.Name} completed ({copied}), but verify found {report.Remaining} rows that differ ({report.Missing} missing, {report.Extra} extra, {report.Different} different); " +
                    $"see `cutover backfill verify {job.Name}`, repair with --repair, then `cutover resume`", evidence);
        }
        catch (BackfillBusyException)
        {
            return null;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            // A job file that no longer reads, a store or database that refuses, an engine failure:
            // whatever it is, the plan waits for a person with the error, never loops on it.
            return new BackfillOutcome(false, $"backfill {name} failed: {e.Message.TrimEnd('.')}; fix it, then `cutover resume` continues from the job's checkpoint",
                new JsonObject { ["backfill"] = new JsonObject { ["job"] = name, ["error"] = e.Message } });
        }
    }

    /// <summary>Catch-up passes, one after another with the step's interval between them; each one's result (or error) is kept on the job in the store.</summary>
    private async Task FollowAsync(IBackfillStore store, BackfillStep step, CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            var runner = new BackfillRunner(store, time) { Stopping = stopping };
            while (true)
            {
                if (await JobNameAsync(step, stopping) is { } job)
                {
                    try
                    {
                        await runner.CatchUpAsync(job, stopping);
                    }
                    catch (Exception e) when (e is BackfillRefusedException or BackfillFailedException or StoreUnavailableException)
                    {
                        // Kept on the job as its last error where the store could take it; the next pass tries again.
                    }
                }

                await Task.Delay(step.CatchUpEvery!.Value, time, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The plan ended, or the process stops.
        }
    }

    private BackfillOutcome Stalled(Run run, BackfillStep step)
    {
        var since = time.GetUtcNow() - run.Checkpointed;
        var summary = $"{step.Describe()} stalled: no batch checkpointed for {Duration.Format(since)} (stallAfter {Duration.Format(step.StallAfter)}); " +
            "see `cutover backfill status` for what holds it back (a throttle, a lock), then `cutover resume` resumes it from its checkpoint";
        return new BackfillOutcome(false, summary, new JsonObject
        {
            ["backfill"] = new JsonObject { ["step"] = step.Describe(), ["stalledSeconds"] = Math.Round(since.TotalSeconds), ["stallAfterSeconds"] = step.StallAfter.TotalSeconds },
        });
    }

    private static string Count(long count, string what) => count == 1 ? $"1 {what}" : $"{count} {what}{(what.EndsWith('s') ? "es" : "s")}";

    private static async Task<BackfillJob> StoredAsync(IBackfillStore store, string name, CancellationToken cancellationToken)
    {
        var record = await store.GetBackfillAsync(name, cancellationToken)
            ?? throw new BackfillRefusedException($"There is no backfill job '{name}' in {store.Description}; run it once with `cutover backfill run -f JOB.yaml`, or name its file in the step ('- backfill: {{ file: JOB.yaml }}').");
        return BackfillJobFile.Parse(record.Definition, $"(the definition of '{name}' stored in {store.Description})");
    }

    private static JsonObject Evidence(string job, BackfillRecord record, VerifyReport report, List<long> caughtUp) => new()
    {
        ["backfill"] = new JsonObject
        {
            ["job"] = job,
            ["rowsCopied"] = record.RowsCopied,
            ["catchUpPasses"] = new JsonArray([.. caughtUp.Select(rows => JsonValue.Create(rows))]),
            ["verify"] = new JsonObject
            {
                ["identical"] = report.Identical,
                ["sourceRows"] = report.SourceRows,
                ["targetRows"] = report.TargetRows,
                ["missing"] = report.Missing,
                ["extra"] = report.Extra,
                ["different"] = report.Different,
                ["ahead"] = report.Ahead,
            },
        },
    };

    /// <summary>One run of a job for one step of a plan (its index and the moment it was entered).</summary>
    private sealed class Run((int Step, DateTimeOffset StartedAt) key, CancellationTokenSource stopping, DateTimeOffset started)
    {
        private long _checkpointed = started.ToUnixTimeMilliseconds();
        private bool _verifying;

        public (int Step, DateTimeOffset StartedAt) Key => key;

        public Task<BackfillOutcome?> Work { get; set; } = Task.FromResult<BackfillOutcome?>(null);

        /// <summary>When the run last checkpointed a batch (or started): a run that goes too long without one has stalled.</summary>
        public DateTimeOffset Checkpointed
        {
            get => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _checkpointed));
            set => Interlocked.Exchange(ref _checkpointed, value.ToUnixTimeMilliseconds());
        }

        /// <summary>Whether the copy is done and the run verifies it (catching up between verifies).</summary>
        public bool Verifying
        {
            get => Volatile.Read(ref _verifying);
            set => Volatile.Write(ref _verifying, value);
        }

        /// <summary>When to ask again for a job another process held.</summary>
        public DateTimeOffset RetryAfter { get; } = started + BusyRetry;

        public void Stop()
        {
            stopping.Cancel();
            _ = Work.ContinueWith(_ => stopping.Dispose(), TaskScheduler.Default);
        }
    }
}
