namespace Cutover.Core.Analysis;

/// <summary>
/// The Mann-Whitney U test of candidate latencies against legacy ones, as Kayenta judges a
/// canary: it asks whether one side tends to be slower than the other without assuming any
/// shape of distribution, so a long tail or a bimodal backend does not fool it the way a
/// comparison of means would. Works on counted values (a histogram's slots), with ties ranked
/// by their average and the variance corrected for them; the normal approximation with a
/// continuity correction, which is accurate at the sample sizes a gate demands.
/// </summary>
public static class MannWhitneyU
{
    /// <summary>
    /// Compares two samples, each given as distinct values in ascending order with their counts.
    /// Null when either side is empty: no judgement on no data.
    /// </summary>
    public static MannWhitneyResult? Compare(IEnumerable<(double Value, long Count)> candidate, IEnumerable<(double Value, long Count)> legacy)
    {
        var merged = Merge(candidate, legacy);
        long n1 = 0, n2 = 0;
        foreach (var (_, c, l) in merged)
        {
            n1 += c;
            n2 += l;
        }

        if (n1 == 0 || n2 == 0)
        {
            return null;
        }

        double n = n1 + n2;
        double rankSum = 0;
        double ties = 0;
        double below = 0;
        foreach (var (_, c, l) in merged)
        {
            double t = c + l;
            rankSum += c * (below + ((t + 1) / 2));
            ties += (t * t * t) - t;
            below += t;
        }

        var u = rankSum - (n1 * (n1 + 1.0) / 2);
        var mean = n1 * (double)n2 / 2;
        var variance = n1 * (double)n2 / 12 * (n + 1 - (ties / (n * (n - 1))));
        var probability = u / (n1 * (double)n2);
        if (variance <= 0)
        {
            // Every value the same: nothing tells the sides apart.
            return new MannWhitneyResult(n1, n2, u, 0, 1, 0.5, probability);
        }

        var sd = Math.Sqrt(variance);
        var z = (u - mean) / sd;
        var twoSided = Math.Min(1, 2 * UpperTail((Math.Abs(u - mean) - 0.5) / sd));
        var slower = Math.Min(1, UpperTail((u - mean - 0.5) / sd));
        return new MannWhitneyResult(n1, n2, u, z, twoSided, slower, probability);
    }

    /// <summary>P(Z ≥ z) for a standard normal Z.</summary>
    internal static double UpperTail(double z) => Erfc(z / Math.Sqrt(2)) / 2;

    /// <summary>The complementary error function, to a relative error under 1.2e-7 (a Chebyshev fit).</summary>
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        var poly = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806 + (t * (0.27886807
            + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        var result = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? result : 2 - result;
    }

    private static List<(double Value, long Candidate, long Legacy)> Merge(IEnumerable<(double Value, long Count)> candidate, IEnumerable<(double Value, long Count)> legacy)
    {
        var counts = new SortedDictionary<double, (long Candidate, long Legacy)>();
        foreach (var (value, count) in candidate)
        {
            var (c, l) = counts.GetValueOrDefault(value);
            counts[value] = (c + count, l);
        }

        foreach (var (value, count) in legacy)
        {
            var (c, l) = counts.GetValueOrDefault(value);
            counts[value] = (c, l + count);
        }

        return [.. counts.Select(e => (e.Key, e.Value.Candidate, e.Value.Legacy))];
    }
}
