using Cutover.Kernel.Metrics;

namespace Cutover.Core.Analysis;

/// <summary>
/// One number in [0, 1] for how the candidate is doing against legacy, so a plan can guard a
/// step with a single trigger ("healthScore &lt; 0.8 for 3m") instead of one per symptom. It is
/// the product of three factors, each 1 when all is well, so any one of excess errors, latency
/// regression or divergence pulls the score down, and two moderate ones compound:
/// <list type="bullet">
/// <item><description>Errors: 1 − 10 × e, clamped to [0, 1], where e is the candidate's error
/// rate above legacy's (above 0 when legacy has too few requests to compare with). Each point
/// of excess error rate costs 0.1, so 0.8 is about 2 points; the same or fewer errors than
/// legacy cost nothing.</description></item>
/// <item><description>Latency: with r the candidate's p95 over legacy's, 1 up to r = 1.2 (noise
/// and warm-up), 0 from r = 3 on, linear between.</description></item>
/// <item><description>Divergence: 1 − 10 × the divergence rate, clamped to [0, 1].</description></item>
/// </list>
/// A factor counts only when its data suffices (the candidate's requests, both sides' requests
/// and a legacy p95 above 0, the compared pairs, against minSamples); one without is left out
/// rather than read as healthy.
/// </summary>
public static class HealthScore
{
    /// <summary>The score of a window; null when no factor has enough data.</summary>
    public static double? Of(MetricsWindow window, int minSamples)
    {
        ArgumentNullException.ThrowIfNull(window);
        double? score = null;
        foreach (var factor in new[] { ErrorFactor(window, minSamples), LatencyFactor(window, minSamples), DivergenceFactor(window, minSamples) })
        {
            if (factor is { } f)
            {
                score = (score ?? 1) * f;
            }
        }

        return score;
    }

    private static double? ErrorFactor(MetricsWindow window, int minSamples)
    {
        if (window.Candidate.Requests < minSamples || window.Candidate.ErrorRate is not { } candidate)
        {
            return null;
        }

        var legacy = window.Legacy.Requests >= minSamples ? window.Legacy.ErrorRate ?? 0 : 0;
        return Math.Clamp(1 - (10 * Math.Max(0, candidate - legacy)), 0, 1);
    }

    private static double? LatencyFactor(MetricsWindow window, int minSamples)
    {
        if (window.Candidate.Requests < minSamples || window.Legacy.Requests < minSamples
            || window.Candidate.LatencyMs(0.95) is not { } candidate || window.Legacy.LatencyMs(0.95) is not { } legacy || legacy <= 0)
        {
            return null;
        }

        return Math.Clamp(1 - (((candidate / legacy) - 1.2) / (3 - 1.2)), 0, 1);
    }

    private static double? DivergenceFactor(MetricsWindow window, int minSamples) =>
        window.Compared < minSamples || window.DivergenceRate is not { } rate ? null : Math.Clamp(1 - (10 * rate), 0, 1);
}
