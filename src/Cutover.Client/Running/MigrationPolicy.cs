using Cutover.Client.Setup;
using Cutover.Kernel.Comparison;

namespace Cutover.Client.Running;

/// <summary>A migration's <see cref="MigrationOptions"/>, checked and with its JSON rules parsed once rather than on every call.</summary>
/// <param name="CandidateTimeout">How long the candidate may take.</param>
/// <param name="ShadowExecution">When a shadowed call runs the candidate.</param>
/// <param name="FallbackToLegacy">Whether a failed candidate is replaced by legacy in canary and candidate mode.</param>
/// <param name="Json">The JSON rules results are compared under, or null to compare with <c>Equals</c>.</param>
internal sealed record MigrationPolicy(TimeSpan CandidateTimeout, ShadowExecution ShadowExecution, bool FallbackToLegacy, ComparisonRules? Json)
{
    /// <summary>The policy of <paramref name="options"/>; <paramref name="where"/> names them in errors.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it and the fix.</exception>
    public static MigrationPolicy Of(MigrationOptions options, string where)
    {
        if (options.CandidateTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{where}:CandidateTimeout is {options.CandidateTimeout}: it must be positive, such as 00:00:02 for two seconds.");
        }

        return new MigrationPolicy(options.CandidateTimeout, options.ShadowExecution, options.FallbackToLegacy, options.Json?.ToRules($"{where}:Json"));
    }
}
