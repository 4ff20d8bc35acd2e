namespace Cutover.Backfill.Jobs;

/// <summary>
/// How a run rides out a lost source or target connection: it reconnects and copies the batch
/// again up to <see cref="Attempts"/> times, waiting <see cref="Backoff"/> before the first retry
/// and twice as long before each next one, so a database that restarts or fails over is waited
/// for, and one that stays away ends the run after a bounded wait with the checkpoint at the last
/// good batch. No wait is longer than <see cref="MaxWait"/>, a third of the run's lease, so the
/// run renews its hold on the job between retries and is not taken over while it waits.
/// </summary>
/// <param name="Attempts">Retries of one batch after its first failure; 0 stops at the first lost connection.</param>
/// <param name="Backoff">The wait before the first retry.</param>
public sealed record RetryPolicy(int Attempts, TimeSpan Backoff)
{
    /// <summary>The retries a job gets when its file says nothing: 5, from 1 second (1 + 2 + 4 + 8 + 10 = 25 seconds of waiting).</summary>
    public static readonly RetryPolicy Default = new(5, TimeSpan.FromSeconds(1));

    /// <summary>The longest wait between two retries, however many there are.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 for the first).</summary>
    public TimeSpan WaitBefore(int attempt)
    {
        var wait = Backoff * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        return wait < MaxWait ? wait : MaxWait;
    }
}
