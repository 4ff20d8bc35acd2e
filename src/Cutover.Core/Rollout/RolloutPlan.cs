using Cutover.Core.Analysis;
using Cutover.Core.State;

namespace Cutover.Core.Rollout;

/// <summary>
/// How a migration moves from legacy to candidate: the steps in order, the gates a step must pass
/// before the plan leaves it, and the triggers that roll back at any moment.
/// </summary>
/// <param name="Steps">The steps, in order; never empty.</param>
/// <param name="Gates">Checked before leaving each step; all must be met.</param>
/// <param name="Triggers">Checked continuously while the plan is under way; one that holds for its duration rolls back.</param>
/// <param name="MinSamples">The fewest requests (or compared pairs) a side needs in a window before a condition on it is judged at all.</param>
/// <param name="InconclusiveAfter">How long the gates may stay unmet or inconclusive before the plan pauses for a person.</param>
/// <param name="DrainTimeout">How long a rollback waits for requests already on the candidate to finish.</param>
public sealed record RolloutPlan(
    IReadOnlyList<PlanStep> Steps,
    IReadOnlyList<Condition> Gates,
    IReadOnlyList<Condition> Triggers,
    int MinSamples,
    TimeSpan InconclusiveAfter,
    TimeSpan DrainTimeout)
{
    /// <summary>When the plan may move forward (enter a next step); null for any time. The default value is null.</summary>
    public PlanWindow? Window { get; init; }

    /// <summary>
    /// How long a step may run (counted as its bake is) before the plan pauses for a person, again
    /// at each whole multiple after a resume; null for no deadline. The default value is null.
    /// </summary>
    public TimeSpan? ProgressDeadline { get; init; }

    /// <summary>Whether a gate or trigger reads the plan's backfill job (<c>backfill.lagSeconds</c>, <c>backfill.verified</c>), which is then read at each look.</summary>
    public bool ReadsBackfill => Gates.Concat(Triggers).Any(c => c.Metrics.Any(m => m.StartsWith(BackfillFacts.MetricPrefix, StringComparison.Ordinal)));

    /// <summary>The 0-based index of the plan's point of no return, or null when it has none.</summary>
    public int? PointOfNoReturnIndex() => Steps.ToList().FindIndex(s => s is PointOfNoReturnStep) is var index and >= 0 ? index : null;

    /// <summary>
    /// Whether the plan has reached its point of no return in this run, so legacy no longer holds
    /// current data: a started plan at or past the step, rolled back or not (a retry starts again
    /// from the first step, before it).
    /// </summary>
    public bool HasPassedPointOfNoReturn(RolloutState? rollout) =>
        rollout is not null && rollout.Status != RolloutStatus.Ready && PointOfNoReturnIndex() is { } index && rollout.Step >= index;

    /// <summary>The default fewest samples per side.</summary>
    public const int DefaultMinSamples = 100;

    /// <summary>The default time gates may stay unmet before the plan pauses.</summary>
    public static readonly TimeSpan DefaultInconclusiveAfter = TimeSpan.FromMinutes(30);

    /// <summary>The default drain time of a rollback.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The triggers of a plan that names none: a candidate that is down (most of its requests
    /// failing, or unanswered past <c>errors.unansweredAfter</c>) within seconds; then errors,
    /// latency, overall health and divergence, each with a duration long enough to ignore a blip.
    /// </summary>
    public static IReadOnlyList<string> DefaultTriggers { get; } =
    [
        "candidate.errorRate > 0.5 for 10s",
        "candidate.errorRate > 0.05 for 1m",
        "candidate.p99 > 2 * legacy.p99 for 5m",
        "healthScore < 0.8 for 3m",
        "divergenceRate > 0.01 for 1m",
    ];
}
