
namespace Cutover.Core.Rollout;

/// <summary>Bake at the current traffic for <paramref name="Duration"/>, or wait for a person's promote when it is null.</summary>
/// <param name="Duration">The bake time, or null to wait for <c>cutover promote</c>.</param>
public sealed record PauseStep(TimeSpan? Duration) : PlanStep
{
    /// <inheritdoc />
    public override TimeSpan? Bake => Duration;

    /// <inheritdoc />
    public override string Describe() => Duration is { } duration ? $"pause {Values.Duration.Format(duration)}" : "pause until promoted";
}
