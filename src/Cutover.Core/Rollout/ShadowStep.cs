
namespace Cutover.Core.Rollout;

/// <summary>Mirror traffic to the candidate and compare, for at least <paramref name="Duration"/> and <paramref name="MinRequests"/> compared pairs.</summary>
/// <param name="Duration">The shortest time to shadow.</param>
/// <param name="MinRequests">The fewest compared pairs before the step may end.</param>
public sealed record ShadowStep(TimeSpan Duration, long MinRequests) : PlanStep
{
    /// <inheritdoc />
    public override TimeSpan? Bake => Duration;

    /// <inheritdoc />
    public override string Describe() => $"shadow {Values.Duration.Format(Duration)}, {MinRequests} compared";
}
