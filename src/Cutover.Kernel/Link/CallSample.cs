using Cutover.Kernel.Comparison;

namespace Cutover.Kernel.Link;

/// <summary>
/// One divergent call of a code-level migration as the SDK reports it in a <see cref="ResultsReport"/>:
/// both results as text, already redacted in the application and cut to <see cref="SampleLimits"/>,
/// so the control plane keeps it as evidence beside the proxy's samples.
/// </summary>
/// <param name="Migration">The migration, as in the control plane's config.</param>
/// <param name="StickyKey">The call's sticky key, or null when it had none.</param>
/// <param name="Time">When the comparison was made.</param>
/// <param name="Legacy">Legacy's result as text, redacted.</param>
/// <param name="Candidate">The candidate's result as text, redacted.</param>
/// <param name="LegacyTruncated">Whether legacy's text was cut to <see cref="SampleLimits.ResultChars"/>.</param>
/// <param name="CandidateTruncated">Whether the candidate's text was cut likewise.</param>
/// <param name="Differences">The differing paths with both values, at most <see cref="SampleLimits.DifferencesPerSample"/>; empty for comparers that only tell equal from unequal.</param>
/// <param name="TotalDifferences">How many differences there were in all.</param>
public sealed record CallSample(
    string? Migration,
    string? StickyKey,
    DateTimeOffset? Time,
    string? Legacy,
    string? Candidate,
    bool LegacyTruncated,
    bool CandidateTruncated,
    IReadOnlyList<Difference>? Differences,
    int TotalDifferences);
