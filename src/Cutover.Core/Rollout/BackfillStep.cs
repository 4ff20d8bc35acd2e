namespace Cutover.Core.Rollout;

/// <summary>
/// Run a backfill job in the control plane and move on once it has completed and its verify
/// found the target identical: the state migrated in checkpointed batches between traffic steps.
/// The replica that runs the plans runs the job; another one that takes the plans over resumes it
/// from its checkpoint. A job that fails pauses the plan with its error, and never moves users
/// back by itself: the data may be half moved.
/// </summary>
/// <param name="JobFile">The job file's full path (resolved against the config file's folder), or null for a stored job.</param>
/// <param name="JobName">The stored job's name, or null for a job file (its name is in the file).</param>
/// <param name="StallAfter">How long the job may go without checkpointing a batch before the plan pauses as stalled.</param>
/// <param name="CatchUpEvery">
/// When set, once the step is done the job's catch-up passes run this often until the plan ends, so
/// rows the source changes during the later steps reach the target too; null copies once.
/// </param>
public sealed record BackfillStep(string? JobFile, string? JobName, TimeSpan StallAfter, TimeSpan? CatchUpEvery = null) : PlanStep
{
    /// <summary>The default of <see cref="StallAfter"/>: a job throttled or stuck this long needs a person.</summary>
    public static readonly TimeSpan DefaultStallAfter = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public override string Describe() =>
        $"backfill {JobName ?? Path.GetFileName(JobFile)}" + (CatchUpEvery is { } every ? $", catch-up every {Values.Duration.Format(every)}" : string.Empty);
}
