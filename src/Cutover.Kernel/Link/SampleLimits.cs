namespace Cutover.Kernel.Link;

/// <summary>
/// How much of a code-level divergence a report may carry. The SDK cuts its samples to these
/// bounds before it keeps them, and the control plane refuses a report beyond them, so the
/// application's buffer, each report and the evidence store all stay small whatever the results.
/// </summary>
public static class SampleLimits
{
    /// <summary>Samples sent in one report; the rest wait in the SDK's buffer for the next one.</summary>
    public const int SamplesPerReport = 10;

    /// <summary>Characters of each result's text kept in a sample; the rest is cut and marked.</summary>
    public const int ResultChars = 8 * 1024;

    /// <summary>Differences listed per sample; the total still counts them all.</summary>
    public const int DifferencesPerSample = 20;

    /// <summary>Characters of a difference's path or value, and of a sticky key, kept in a sample.</summary>
    public const int FieldChars = 256;

    /// <summary>The text cut to <paramref name="max"/> characters, with whether it was.</summary>
    public static (string Text, bool Truncated) Cut(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return (text, false);
        }

        // Never half of a surrogate pair, which would not survive being written as JSON.
        return (text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)], true);
    }
}
