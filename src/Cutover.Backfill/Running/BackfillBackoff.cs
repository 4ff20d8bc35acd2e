using Cutover.Backfill.Throttling;

namespace Cutover.Backfill.Running;

/// <summary>
/// A run's backoff as scripts and dashboards read it (in <see cref="BackfillView"/>): the parts of
/// <see cref="ThrottleState"/> as fields, so a reader can tell how long a job has been held back
/// without parsing the sentence.
/// </summary>
/// <param name="Reason">Why the run backs off (e.g. "the health query returned 14, over 10").</param>
/// <param name="Since">When the backoff began; it goes on while the target stays unhealthy.</param>
/// <param name="WaitSeconds">The current wait, in seconds (doubled at each unhealthy check, up to the cap).</param>
public sealed record BackfillBackoff(string Reason, DateTimeOffset Since, double WaitSeconds)
{
    /// <summary>The backoff of <paramref name="state"/>, or null when it is not backing off.</summary>
    public static BackfillBackoff? Of(ThrottleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state is { Kind: ThrottleKind.BackingOff, Reason: { } reason, Since: { } since }
            ? new BackfillBackoff(reason, since, state.Wait.TotalSeconds)
            : null;
    }
}
