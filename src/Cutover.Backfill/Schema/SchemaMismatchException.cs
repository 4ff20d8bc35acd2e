namespace Cutover.Backfill.Schema;

/// <summary>A job that does not fit its databases, with every mismatch found; thrown before any row moves.</summary>
public sealed class SchemaMismatchException : Exception
{
    /// <summary>Creates the exception for job <paramref name="job"/>.</summary>
    public SchemaMismatchException(string job, IReadOnlyList<string> mismatches)
        : base($"The backfill job '{job}' does not fit its databases; nothing was copied. {mismatches.Count} problem{(mismatches.Count == 1 ? string.Empty : "s")}:{Environment.NewLine}" +
               string.Join(Environment.NewLine, mismatches.Select(m => "  " + m)))
    {
        Mismatches = mismatches;
    }

    /// <summary>Each mismatch: what, where, and the fix.</summary>
    public IReadOnlyList<string> Mismatches { get; }
}
