using System.CommandLine;
using Cutover.Backfill;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Verifying;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Store;
using Cutover.Store.Opening;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover backfill run|resume|join|pause|status|verify|catchup|restore</c>: the backfill engine, run in this process against the
/// control store named by <c>--store</c> (or <c>CUTOVER_STORE</c>), not through the admin API, so a
/// backfill needs no running Cutover.
/// </summary>
internal static class BackfillCommands
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var command = new Command("backfill", "Copy rows from a legacy database into the new one in checkpointed, throttled batches.");
        command.Subcommands.Add(Run(options, output));
        command.Subcommands.Add(Resume(options, output));
        command.Subcommands.Add(Join(options, output));
        command.Subcommands.Add(Pause(options, output));
        command.Subcommands.Add(Status(options, output));
        command.Subcommands.Add(Verify(options, output));
        command.Subcommands.Add(CatchUp(options, output));
        command.Subcommands.Add(Restore(options, output));
        return command;
    }

    private static Command Run(CliOptions options, CliOutput output)
    {
        var file = new Option<string>("--file", "-f") { Description = "The backfill job file.", Required = true };
        var restart = new Option<bool>("--restart") { Description = "Copy from the beginning even when the job has an unfinished checkpoint." };
        var workers = WorkersOption();
        var command = new Command("run", "Check a job against both databases, then copy every row, checkpointing after each batch.") { file, restart, workers, options.Json, options.Store };
        command.SetAction((parse, ct) => GuardedAsync(parse.GetValue(options.Store)!, output, async store =>
        {
            var job = await BackfillJobFile.LoadAsync(parse.GetValue(file)!, ct);
            return await CopyAsync(store, output, job.Name, parse.GetValue(workers), parse.GetValue(options.Json), (runner, token) => runner.RunAsync(job, parse.GetValue(restart), token), ct);
        }));
        return command;
    }

    private static Command Resume(CliOptions options, CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "The job to continue from its checkpoint." };
        var workers = WorkersOption();
        var command = new Command("resume", "Let a paused run go on, or continue a stopped or failed job from its last checkpoint, with the definition it was started with.") { name, workers, options.Json, options.Store };
        command.SetAction((parse, ct) => GuardedAsync(parse.GetValue(options.Store)!, output, async store =>
        {
            var job = parse.GetValue(name)!;
            if (await new BackfillRunner(store, TimeProvider.System).UnpauseAsync(job, ct))
            {
                await output.WriteResultAsync(
                    parse.GetValue(options.Json),
                    View((await store.GetBackfillAsync(job, ct))!),
                    TerminalText.Clean($"Backfill job '{job}' resumed: its paused run goes on with the next batch (within {BackfillRunner.PausePoll.TotalSeconds:0} second). Watch it with `cutover backfill status {job}`."));
                return ExitCodes.Ok;
            }

            return await CopyAsync(store, output, job, parse.GetValue(workers), parse.GetValue(options.Json), (runner, token) => runner.ResumeAsync(job, token), ct);
        }));
        return command;
    }

    private static Command Join(CliOptions options, CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "The running split job to add workers to." };
        var workers = WorkersOption();
        var command = new Command("join", "Add workers in this process (or on this machine) to a running job split into key ranges; they claim ranges until every one is done.") { name, workers, options.Json, options.Store };
        command.SetAction((parse, ct) => GuardedAsync(parse.GetValue(options.Store)!, output, async store =>
        {
            var job = parse.GetValue(name)!;
            return await CopyAsync(store, output, job, parse.GetValue(workers), parse.GetValue(options.Json), (runner, token) => runner.JoinAsync(job, token), ct);
        }));
        return command;
    }

    /// <summary>The <c>--workers</c> option of the commands that copy a split job.</summary>
    private static Option<int> WorkersOption()
    {
        var workers = new Option<int>("--workers")
        {
            Description = $"Workers in this process, each copying one key range of a split job (ranges: N) at a time (1 to {BackfillRunner.MaxWorkers}).",
            DefaultValueFactory = _ => 1,
        };
        workers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > BackfillRunner.MaxWorkers)
            {
                result.AddError($"--workers must be from 1 to {BackfillRunner.MaxWorkers}, not {result.GetValueOrDefault<int>()}; each worker copies one key range at a time, so more workers than the job's ranges only wait.");
            }
        });
        return workers;
    }

    private static Command Pause(CliOptions options, CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "The running job to pause." };
        var command = new Command("pause", "Ask a running job to wait after its current batch, holding the job, until `cutover backfill resume NAME`.") { name, options.Json, options.Store };
        command.SetAction((parse, ct) => GuardedAsync(parse.GetValue(options.Store)!, output, async store =>
        {
            var job = parse.GetValue(name)!;
            var record = await new BackfillRunner(store, TimeProvider.System).PauseAsync(job, ct);
            await output.WriteResultAsync(
                parse.GetValue(options.Json),
                View(record),
                TerminalText.Clean($"Backfill job '{job}' pauses after its current batch ({CliFormat.Rows(record.RowsCopied)} copied so far); its run keeps the job and waits. `cutover backfill resume {job}` lets it go on."));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Status(CliOptions options, CliOutput output)
    {
        var name = new Argument<string?>("NAME") { Description = "Only this job.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show each backfill job's status, rows copied, speed, last key and last error.") { name, options.Json, options.Store };
        command.SetAction((parse, ct) => GuardedAsync(parse.GetValue(options.Store)!, output, async store =>
        {
            await store.InitializeAsync(ct);
            var now = TimeProvider.System.GetUtcNow();
            var only = parse.GetValue(name);
            IReadOnlyList<BackfillRecord> records;
            if (only is null)
            {
                records = await store.GetBackfillsAsync(ct);
            }
            else if (await store.GetBackfillAsync(only, ct) is { } record)
            {
                records = [record];
            }
            else
            {
                await output.Error.WriteLineAsync($"error: There is no backfill job '{only}' in {store.Description}; start it with `cutover backfill run -f JOB.yaml`.");
                return ExitCodes.Failed;
            }

            var progress = new List<BackfillProgress>();
            foreach (var stored in records)
            {
                var active = stored.Status is BackfillStatus.Running or BackfillStatus.Paused;
                var sourceRows = active ? await new BackfillRunner(store, TimeProvider.System).CountSourceAsync(stored.Name, ct) : null;
                progress.Add(BackfillProgress.Of(stored, sourceRows, now));
            }

            if (parse.GetValue(options.Json))
            {
                object views = only is null ? progress.Select(BackfillView.Of).ToList() : BackfillView.Of(progress[0]);
                await output.Out.WriteLineAsync(JsonOutput.Serialize(views));
            }
            else if (progress.Count == 0)
            {
                await output.Out.WriteLineAsync($"No backfill jobs in {store.Description} yet; start one with `cutover backfill run -f JOB.yaml`.");
            }
            else
            {
                BackfillRenderer.WriteTable(output, progress, now);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Verify(CliOptions options, CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "The job whose target to compare with its source." };
        var repair = new Option<bool>("--repair") { Description = "Copy the chunks that differ again with the job's upsert; extra target rows are deleted only when the job says deletes: apply." };
        var chunkSize = new Option<int>("--chunk-size")
        {
            Description = $"Keys per compared chunk (1 to {BackfillVerifier.MaxChunkSize:N0}).",
            DefaultValueFactory = _ => BackfillVerifier.DefaultChunkSize,
        };
        chunkSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > BackfillVerifier.MaxChunkSize)
            {
                result.AddError($"--chunk-size must be from 1 to {BackfillVerifier.MaxChunkSize:N0} keys, not {result.GetValueOrDefault<int>()}; the default is {BackfillVerifier.DefaultChunkSize:N0}.");
            }
        });
        var command = new Command("verify", "Compare a job's target with its source by counts and chunked checksums, naming each row that differs.")
        {
            name, repair, chunkSize, options.Json, options.Store,
        };
        command.SetAction((parse, ct) => GuardedAsync(parse.GetValue(options.Store)!, output, async store =>
        {
            var verifier = new BackfillVerifier(store, TimeProvider.System);
            var report = await verifier.VerifyAsync(parse.GetValue(name)!, parse.GetValue(repair), parse.GetValue(chunkSize), BackfillVerifier.DefaultListLimit, ct);
            if (parse.GetValue(options.Json))
            {
                await output.Out.WriteLineAsync(JsonOutput.Serialize(report));
            }
            else
            {
                await VerifyRenderer.WriteAsync(output.Out, report);
            }

            return report.Identical ? ExitCodes.Ok : ExitCodes.Mismatched;
        }));
        return command;
    }

    private static Command CatchUp(CliOptions options, CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "The completed job whose changed rows to copy." };
        var command = new Command("catchup", "Copy again the rows whose change column moved since the last pass, pass after pass until the lag is under catchUp.maxLagRows.") { name, options.Json, options.Store };
        command.SetAction((parse, ct) => GuardedAsync(parse.GetValue(options.Store)!, output, async store =>
        {
            var job = parse.GetValue(name)!;
            var result = await new BackfillRunner(store, TimeProvider.System) { Retrying = RetryWarning(output) }.CatchUpAsync(job, ct);
            var passes = $"{result.PassRows.Count} {(result.PassRows.Count == 1 ? "pass" : "passes")} copied {string.Join(", ", result.PassRows)} changed rows";
            var mark = result.Record.HighWater is null ? "none (no row has a change value)" : BackfillRenderer.Key(result.Record.HighWater).Trim('(', ')');
            if (!result.CaughtUp)
            {
                await output.Error.WriteLineAsync(
                    $"error: Catch-up of '{job}' is still behind: {passes}, and the last was not under catchUp.maxLagRows; the source changes about as fast as a pass copies. " +
                    $"Run `cutover backfill catchup {job}` again when writes slow down (or stop them for the final pass), or raise catchUp.maxPasses. High-water mark now {mark}.");
                return ExitCodes.Failed;
            }

            await output.WriteResultAsync(
                parse.GetValue(options.Json),
                new { passRows = result.PassRows, caughtUp = result.CaughtUp, backfill = View(result.Record) },
                TerminalText.Clean($"Catch-up of '{job}': {passes}; caught up. High-water mark now {mark}."));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Restore(CliOptions options, CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "The job whose target table to put back." };
        var command = new Command("restore", "Put the job's target table back as it was before the job's first write, from the backup taken then.") { name, options.Json, options.Store };
        command.SetAction((parse, ct) => GuardedAsync(parse.GetValue(options.Store)!, output, async store =>
        {
            var job = parse.GetValue(name)!;
            var result = await new BackfillRunner(store, TimeProvider.System).RestoreAsync(job, ct);
            await output.WriteResultAsync(
                parse.GetValue(options.Json),
                new { restoredRows = result.Rows, backfill = View(result.Record) },
                TerminalText.Clean($"Restored the target table of '{job}' from {result.Record.Backup}: {CliFormat.Rows(result.Rows)}, as before the job's first write. " +
                    $"The checkpoint is reset; `cutover backfill resume {job}` copies from the beginning. The backup is kept (drop it when done)."));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A job as <c>--json</c> shows it, without the source count a status would add.</summary>
    private static BackfillView View(BackfillRecord record) => BackfillView.Of(BackfillProgress.Of(record, null, record.UpdatedAt));

    /// <summary>Says on stderr that a lost connection is about to be retried, so a run or catch-up that waits is not mistaken for a hung one.</summary>
    private static Action<BackfillRetry> RetryWarning(CliOutput output) => retry => output.Error.WriteLine(TerminalText.Clean($"warning: Backfill job '{retry.Job}': {retry}"));

    /// <summary>
    /// Whether <paramref name="command"/> copies rows and so handles Ctrl+C and SIGTERM itself
    /// (<see cref="StopSignals"/>): the first stops it after the current batch, the second at once.
    /// </summary>
    public static bool StopsBetweenBatches(Command command) =>
        command.Name is "run" or "resume" or "join" && command.Parents.OfType<Command>().Any(parent => parent.Name == "backfill");

    /// <summary>
    /// Runs or resumes a job with its progress shown, and says where it ended. The first Ctrl+C or
    /// SIGTERM lets the current batch commit and checkpoint, the second stops at once; either way the
    /// job records <c>stopped</c> and the command says where and how to continue (exit 1).
    /// </summary>
    private static async Task<int> CopyAsync(
        IBackfillStore store, CliOutput output, string name, int workers, bool json, Func<BackfillRunner, CancellationToken, Task<BackfillRecord>> copy, CancellationToken cancellationToken)
    {
        using var signals = new StopSignals(
            cancellationToken,
            () => output.Error.WriteLine(TerminalText.Clean($"Stopping backfill job '{name}' after its current batch; press Ctrl+C again to stop at once (the batch is then rolled back).")));
        try
        {
            BackfillRunner Runner(Action<BackfillProgress> progress) =>
                new(store, TimeProvider.System) { Progress = progress, Retrying = RetryWarning(output), Workers = workers, Stopping = signals.Stopping };

            // With --json the progress is not shown, so standard output holds the one JSON result.
            var record = json
                ? await copy(Runner(_ => { }), signals.Now)
                : await BackfillDisplay.RunAsync(output, (progress, ct) => copy(Runner(progress), ct), signals.Now);
            var finished = BackfillProgress.Of(record, null, record.UpdatedAt);
            await output.WriteResultAsync(json, BackfillView.Of(finished), BackfillRenderer.Finished(finished));
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (signals.Stopping.IsCancellationRequested || signals.Now.IsCancellationRequested)
        {
            var record = await store.GetBackfillAsync(name, CancellationToken.None);
            await output.Error.WriteLineAsync(
                $"error: Backfill job '{TerminalText.Clean(name)}' stopped after {CliFormat.Rows(record?.RowsCopied ?? 0)} at its last checkpoint; run `cutover backfill resume {TerminalText.Clean(name)}` to continue.");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Opens the store and turns the errors every backfill command can meet into one line and an exit code (the databases' messages cleaned for the terminal).</summary>
    private static async Task<int> GuardedAsync(string location, CliOutput output, Func<IBackfillStore, Task<int>> action)
    {
        try
        {
            await using var store = ControlStoreFactory.CreateBackfillStore(location, TimeProvider.System);
            return await action(store);
        }
        catch (Exception e) when (e is BackfillJobException or SchemaMismatchException)
        {
            await output.Error.WriteLineAsync($"error: {TerminalText.CleanLines(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is StoreUnavailableException or BackfillDatabaseException or BackfillRefusedException or BackfillFailedException)
        {
            await output.Error.WriteLineAsync($"error: {TerminalText.CleanLines(e.Message)}");
            return ExitCodes.Failed;
        }
    }
}
