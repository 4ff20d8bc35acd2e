using Cutover.Core.Comparison;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Core.Shadow;

namespace Cutover.Core.Configuration;

/// <summary>
/// A validated migration: the parts that come from the config file. Joined with the run-time
/// <see cref="State.MigrationState"/> it becomes a <see cref="MigrationModel"/>.
/// </summary>
public sealed record MigrationDefinition(
    string Name,
    MatchModel Match,
    Uri Legacy,
    Uri Candidate,
    MigrationMode InitialMode,
    double InitialWeight,
    StickyKeySource StickyBy,
    TimeSpan LegacyTimeout,
    TimeSpan CandidateTimeout,
    ShadowPolicy Shadow,
    ResponseRules Compare)
{
    /// <summary>The rollout plan, or null for a migration moved by hand.</summary>
    public RolloutPlan? Plan { get; init; }
}
