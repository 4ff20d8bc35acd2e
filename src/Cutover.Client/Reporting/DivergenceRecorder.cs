using Cutover.Core.Comparison;

namespace Cutover.Client.Reporting;

/// <summary>
/// Turns a divergent call into a sample: both results rendered and redacted, the differences
/// redacted, into the bounded buffer the control-plane link drains. A full buffer costs a count,
/// not a rendering.
/// </summary>
internal sealed class DivergenceRecorder(DivergenceSampleBuffer buffer, IResultRedactor redactor, TimeProvider time)
{
    /// <summary>Keeps a sample of one divergent call, or counts it dropped.</summary>
    public void Record<T>(string migration, string? stickyKey, T legacy, T candidate, JsonComparison comparison, Func<T, string>? render)
    {
        if (!buffer.HasRoom)
        {
            buffer.CountDropped();
            return;
        }

        render ??= ResultText.Of;
        buffer.Add(new CodeDivergence(
            migration,
            stickyKey,
            time.GetUtcNow(),
            redactor.Redact(migration, render(legacy)),
            redactor.Redact(migration, render(candidate)),
            comparison.Differences.Select(d => redactor.Redact(migration, d)).ToList(),
            comparison.Total));
    }
}
