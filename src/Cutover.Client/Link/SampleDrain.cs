using Cutover.Client.Reporting;
using Cutover.Kernel.Link;

namespace Cutover.Client.Link;

/// <summary>
/// Takes the divergence samples one report carries out of the SDK's buffer: at most
/// <see cref="SampleLimits.SamplesPerReport"/>, oldest first, so a report stays small and the
/// rest go with the next. Samples of a migration the control plane does not know are dropped,
/// since the control plane would refuse the whole report for them. Also tells how many samples
/// the buffer dropped since the last report, so the link's status counts every loss.
/// </summary>
internal sealed class SampleDrain(DivergenceSampleBuffer buffer)
{
    private long _bufferDropped;

    /// <summary>The samples for the next report, with how many were lost since the last one (buffer full or migration unknown).</summary>
    public IReadOnlyList<CallSample> Take(Func<string, bool> reportable, out long dropped)
    {
        var total = buffer.Dropped;
        dropped = total - _bufferDropped;
        _bufferDropped = total;
        var samples = new List<CallSample>();
        foreach (var sample in buffer.Drain(SampleLimits.SamplesPerReport))
        {
            if (!reportable(sample.Migration))
            {
                dropped++;
                continue;
            }

            samples.Add(new CallSample(
                sample.Migration, sample.StickyKey, sample.Time, sample.Legacy, sample.Candidate,
                sample.LegacyTruncated, sample.CandidateTruncated, sample.Differences, sample.TotalDifferences));
        }

        return samples;
    }
}
