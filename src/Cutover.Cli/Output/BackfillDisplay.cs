using Cutover.Backfill.Copying;
using Cutover.Backfill.Throttling;
using Cutover.Store;
using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// Shows a backfill run as it goes: a live progress bar (rows, rows/s, time left, throttle state) on a
/// terminal, and a plain line at most every few seconds otherwise (and at each backoff or pause, so a waiting run
/// is not taken for a hung one), so a log stays readable.
/// </summary>
internal static class BackfillDisplay
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    public static async Task<BackfillRecord> RunAsync(
        CliOutput output, Func<Action<BackfillProgress>, CancellationToken, Task<BackfillRecord>> run, CancellationToken cancellationToken)
    {
        if (!output.Console.Profile.Capabilities.Interactive)
        {
            var lastLine = DateTimeOffset.MinValue;
            var lastThrottle = ThrottleState.None;
            return await run(progress =>
            {
                var now = TimeProvider.System.GetUtcNow();
                var waiting = progress.Throttle.Kind is ThrottleKind.BackingOff or ThrottleKind.Paused && progress.Throttle != lastThrottle;
                if (now - lastLine >= PlainInterval || progress.Record.Status == BackfillStatus.Completed || waiting)
                {
                    lastLine = now;
                    lastThrottle = progress.Throttle;
                    output.Out.WriteLine(BackfillRenderer.Line(progress));
                }
            }, cancellationToken);
        }

        BackfillRecord? result = null;
        await output.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                ProgressTask? task = null;
                result = await run(progress =>
                {
                    task ??= context.AddTask(progress.Record.Name, maxValue: Math.Max(1, progress.SourceRows ?? 1));
                    task.Value = progress.Record.RowsCopied;
                    task.Description = BackfillRenderer.Bar(progress);
                }, cancellationToken);
            });
        return result!;
    }
}
