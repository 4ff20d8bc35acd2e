using Cutover.Backfill.Running;
using Cutover.Store;
using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// Shows a backfill run as it goes: a live progress bar (rows, rows/s, time left) on a terminal,
/// and a plain line at most every few seconds otherwise, so a log stays readable.
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
            return await run(progress =>
            {
                var now = TimeProvider.System.GetUtcNow();
                if (now - lastLine >= PlainInterval || progress.Record.Status == BackfillStatus.Completed)
                {
                    lastLine = now;
                    output.Out.WriteLine(BackfillRenderer.Line(progress));
                }
            }, cancellationToken);
        }

        BackfillRecord? result = null;
        await output.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                ProgressTask? task = null;
                result = await run(progress =>
                {
                    task ??= context.AddTask(progress.Record.Name, maxValue: Math.Max(1, progress.SourceRows ?? 1));
                    task.Value = progress.Record.RowsCopied;
                    task.Description = $"{Markup.Escape(progress.Record.Name)} {progress.Record.RowsCopied:N0} rows, {progress.RowsPerSecond:N0} rows/s";
                }, cancellationToken);
            });
        return result!;
    }
}
