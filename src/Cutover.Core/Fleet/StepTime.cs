namespace Cutover.Core.Fleet;

/// <summary>How long a plan's run spent in one step, wall-clock time with pauses included.</summary>
/// <param name="Step">The step, 1-based.</param>
/// <param name="Description">The step described ("weight 25", "pause 5m").</param>
/// <param name="EnteredAt">When the run entered it.</param>
/// <param name="LeftAt">When it moved on, rolled back, was aborted or completed; null while it is the current step.</param>
/// <param name="Duration">From entering to leaving, or to now for the current step.</param>
public sealed record StepTime(int Step, string Description, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, TimeSpan Duration);
