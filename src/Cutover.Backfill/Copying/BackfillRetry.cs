using Cutover.Backfill.Databases;

namespace Cutover.Backfill.Copying;

/// <summary>A batch about to be copied again after a lost connection, as <c>run</c> shows it and <c>status</c> records it.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Attempt">This retry's number, from 1.</param>
/// <param name="Attempts">The retries the job allows.</param>
/// <param name="Wait">How long the run waits before reconnecting.</param>
/// <param name="Error">The lost connection's error, naming the database.</param>
public sealed record BackfillRetry(string Job, int Attempt, int Attempts, TimeSpan Wait, string Error)
{
    /// <summary>
    /// " and 5 retries of the lost connection" (with <paramref name="joiner"/> "and") when
    /// <paramref name="error"/> is a lost connection the job's <paramref name="attempts"/> retries did
    /// not get past, for the message a run or a catch-up pass stops with; else empty.
    /// </summary>
    internal static string Spent(int attempts, Exception error, string joiner) => error is BackfillDatabaseException && attempts > 0
        ? $" {joiner} {attempts} {(attempts == 1 ? "retry" : "retries")} of the lost connection"
        : string.Empty;

    /// <inheritdoc />
    public override string ToString() =>
        $"Retry {Attempt} of {Attempts} in {Wait.TotalSeconds:0.###}s: {Error.TrimEnd('.')}. The batch is copied again from the checkpoint once the database answers.";
}
