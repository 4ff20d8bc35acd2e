using Cutover.Kernel.Comparison;
using Cutover.Kernel.Link;

namespace Cutover.Client.Reporting;

/// <summary>
/// One call whose two results differed, kept as evidence for the control plane. Both results are
/// rendered as text, redacted and cut to <see cref="SampleLimits"/> before they are kept, like the
/// proxy's samples, so a sample costs the same small memory whatever the results.
/// </summary>
/// <param name="Migration">The migration.</param>
/// <param name="StickyKey">The call's sticky key, or null when it had none.</param>
/// <param name="Time">When the comparison was made.</param>
/// <param name="Legacy">Legacy's result as text, redacted.</param>
/// <param name="Candidate">The candidate's result as text, redacted.</param>
/// <param name="Differences">The differing paths with both values (redacted); empty for comparers that only tell equal from unequal.</param>
/// <param name="TotalDifferences">How many differences there were in all.</param>
/// <param name="LegacyTruncated">Whether legacy's text was cut to <see cref="SampleLimits.ResultChars"/>.</param>
/// <param name="CandidateTruncated">Whether the candidate's text was cut likewise.</param>
public sealed record CodeDivergence(
    string Migration,
    string? StickyKey,
    DateTimeOffset Time,
    string Legacy,
    string Candidate,
    IReadOnlyList<Difference> Differences,
    int TotalDifferences,
    bool LegacyTruncated = false,
    bool CandidateTruncated = false);
