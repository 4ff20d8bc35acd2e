using System.Diagnostics;
using Cutover.Backfill.Jobs;
using Cutover.Core.Telemetry;

namespace Cutover.Backfill.Copying;

/// <summary>
/// The activity of one batch: copied, written and checkpointed, lost connections and their retries
/// included, so a slow or retried batch shows in the trace with the job it belongs to.
/// </summary>
internal static class BatchActivity
{
    /// <summary>The job's name.</summary>
    public const string JobTag = "cutover.backfill.job";

    /// <summary>The rows the batch read from the source.</summary>
    public const string ReadTag = "cutover.backfill.rows_read";

    /// <summary>The rows the batch wrote to the target.</summary>
    public const string WrittenTag = "cutover.backfill.rows_written";

    /// <summary>The times the batch was copied again after a lost connection.</summary>
    public const string RetriesTag = "cutover.backfill.retries";

    /// <summary>Starts the activity of the next batch of <paramref name="job"/>; null when nothing listens.</summary>
    public static Activity? Start(BackfillJob job)
    {
        var activity = CutoverActivities.Source.StartActivity(CutoverActivities.BackfillBatch);
        activity?.SetTag(JobTag, job.Name);
        return activity;
    }

    /// <summary>Tags the activity with what the batch copied.</summary>
    public static void Copied(Activity? activity, CopiedBatch batch)
    {
        activity?.SetTag(ReadTag, batch.Read);
        activity?.SetTag(WrittenTag, batch.Written);
    }

    /// <summary>Records a retry on the batch's activity, with the lost connection's error.</summary>
    public static void Retrying(Activity? activity, BackfillRetry retry)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(RetriesTag, retry.Attempt);
        activity.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { ["error"] = retry.Error, ["wait_ms"] = retry.Wait.TotalMilliseconds }));
    }
}
