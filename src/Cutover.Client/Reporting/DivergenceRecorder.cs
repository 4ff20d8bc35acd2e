using Cutover.Kernel.Comparison;
using Cutover.Kernel.Link;

namespace Cutover.Client.Reporting;

/// <summary>
/// Turns a divergent call into a sample: both results rendered and redacted, the differences
/// redacted, everything cut to <see cref="SampleLimits"/>, into the bounded buffer the
/// control-plane link drains. A full buffer costs a count, not a rendering.
/// </summary>
internal sealed class DivergenceRecorder(DivergenceSampleBuffer buffer, IResultRedactor redactor, TimeProvider time)
{
    /// <summary>Keeps a sample of one divergent call, or counts it dropped.</summary>
    public void Record<T>(string migration, string? stickyKey, T legacy, T candidate, JsonComparison comparison, Func<T, string> render)
    {
        if (!buffer.HasRoom)
        {
            buffer.CountDropped();
            return;
        }

        var (legacyText, legacyCut) = SampleLimits.Cut(redactor.Redact(migration, render(legacy)), SampleLimits.ResultChars);
        var (candidateText, candidateCut) = SampleLimits.Cut(redactor.Redact(migration, render(candidate)), SampleLimits.ResultChars);
        buffer.Add(new CodeDivergence(
            migration,
            stickyKey is null ? null : Field(stickyKey),
            time.GetUtcNow(),
            legacyText,
            candidateText,
            comparison.Differences.Take(SampleLimits.DifferencesPerSample).Select(d => Shortened(redactor.Redact(migration, d))).ToList(),
            comparison.Total,
            legacyCut,
            candidateCut));
    }

    private static Difference Shortened(Difference difference) => difference with
    {
        Path = Field(difference.Path),
        Legacy = difference.Legacy is null ? null : Field(difference.Legacy),
        Candidate = difference.Candidate is null ? null : Field(difference.Candidate),
    };

    private static string Field(string text) => SampleLimits.Cut(text, SampleLimits.FieldChars).Text;
}
