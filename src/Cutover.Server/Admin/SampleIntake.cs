using System.Globalization;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Link;

namespace Cutover.Server.Admin;

/// <summary>
/// Checks the divergence samples of a <c>POST /api/results</c> report against
/// <see cref="SampleLimits"/>, the bounds the SDK cuts its samples to, so what reaches the
/// evidence store is as small as the proxy's samples. Each error names the field and the fix.
/// </summary>
internal static class SampleIntake
{
    /// <summary>The samples to keep, or none when any is bad (the errors say which and why).</summary>
    public static IReadOnlyList<CallSample> Check(IReadOnlyList<CallSample?>? samples, IReadOnlySet<string> known, List<string> errors)
    {
        if (samples is null or { Count: 0 })
        {
            return [];
        }

        if (samples.Count > SampleLimits.SamplesPerReport)
        {
            errors.Add(Invariant($"samples has {samples.Count} entries, more than {SampleLimits.SamplesPerReport}; send the rest with the next report"));
            return [];
        }

        var before = errors.Count;
        for (var i = 0; i < samples.Count; i++)
        {
            Check(samples[i], $"samples[{i}]", known, errors);
        }

        return errors.Count > before ? [] : samples.OfType<CallSample>().ToList();
    }

    private static void Check(CallSample? sample, string at, IReadOnlySet<string> known, List<string> errors)
    {
        if (sample is null || string.IsNullOrWhiteSpace(sample.Migration))
        {
            errors.Add($"{at}.migration is missing; give the migration's name as in the control plane's config");
            return;
        }

        if (!known.Contains(sample.Migration))
        {
            errors.Add($"{at}.migration '{sample.Migration}' is not a code-level migration of this control plane; known: {(known.Count == 0 ? "none" : string.Join(", ", known))}");
            return;
        }

        if (sample.Time is null)
        {
            errors.Add($"{at}.time is missing; give when the comparison was made (ISO 8601)");
        }

        Text(sample.Legacy, $"{at}.legacy", SampleLimits.ResultChars, required: true, errors);
        Text(sample.Candidate, $"{at}.candidate", SampleLimits.ResultChars, required: true, errors);
        Text(sample.StickyKey, $"{at}.stickyKey", SampleLimits.FieldChars, required: false, errors);
        var differences = sample.Differences ?? [];
        if (differences.Count > SampleLimits.DifferencesPerSample)
        {
            errors.Add(Invariant($"{at}.differences has {differences.Count} entries, more than {SampleLimits.DifferencesPerSample}; list the first ones and give the count in totalDifferences"));
            return;
        }

        if (sample.TotalDifferences < differences.Count)
        {
            errors.Add(Invariant($"{at}.totalDifferences is {sample.TotalDifferences}, fewer than the {differences.Count} differences listed"));
        }

        for (var d = 0; d < differences.Count; d++)
        {
            Difference(differences[d], $"{at}.differences[{d}]", errors);
        }
    }

    private static void Difference(Difference? difference, string at, List<string> errors)
    {
        if (difference is null)
        {
            errors.Add($"{at} is missing; give the path, kind and both values");
            return;
        }

        Text(difference.Path, $"{at}.path", SampleLimits.FieldChars, required: true, errors);
        Text(difference.Legacy, $"{at}.legacy", SampleLimits.FieldChars, required: false, errors);
        Text(difference.Candidate, $"{at}.candidate", SampleLimits.FieldChars, required: false, errors);
    }

    private static void Text(string? text, string at, int max, bool required, List<string> errors)
    {
        if (text is null)
        {
            if (required)
            {
                errors.Add($"{at} is missing; give the text (empty when there is none)");
            }

            return;
        }

        if (text.Length > max)
        {
            errors.Add(Invariant($"{at} has {text.Length} characters, more than {max}; cut it to at most {max} characters (the SDK does)"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
