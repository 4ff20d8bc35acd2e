namespace Cutover.Backfill.Running;

/// <summary>A batch about to be copied again after a lost connection, as <c>run</c> shows it and <c>status</c> records it.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Attempt">This retry's number, from 1.</param>
/// <param name="Attempts">The retries the job allows.</param>
/// <param name="Wait">How long the run waits before reconnecting.</param>
/// <param name="Error">The lost connection's error, naming the database.</param>
public sealed record BackfillRetry(string Job, int Attempt, int Attempts, TimeSpan Wait, string Error)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"Retry {Attempt} of {Attempts} in {Wait.TotalSeconds:0.###}s: {Error.TrimEnd('.')}. The batch is copied again from the checkpoint once the database answers.";
}
