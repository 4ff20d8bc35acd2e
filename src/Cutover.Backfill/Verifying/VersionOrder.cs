using System.Globalization;

namespace Cutover.Backfill.Verifying;

/// <summary>
/// Orders two values of a job's <c>onConflict.keepNewer</c> column (in the target's form, see
/// <see cref="TargetForm"/>) as the target's <c>&gt;</c> does in the upsert, so verify calls a
/// row ahead exactly when the copy would have kept it: null before any value, numbers by value,
/// times by time, text by its characters' code (SQLite's default collation; the schema check
/// allows text only on SQLite), and on SQLite, where one column can hold both, numbers before text.
/// </summary>
internal static class VersionOrder
{
    /// <summary>Whether <paramref name="target"/> is newer than <paramref name="source"/>: the copy leaves such a target row as it is.</summary>
    public static bool IsNewer(object? target, object? source) => Compare(target, source) > 0;

    private static int Compare(object? left, object? right) => (left, right) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string a, string b) => string.CompareOrdinal(a, b),
        (string, _) => 1,
        (_, string) => -1,
        (DateTime a, DateTime b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
        (DateOnly a, DateOnly b) => a.CompareTo(b),
        (long or int or short, long or int or short) => Convert.ToInt64(left, CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(right, CultureInfo.InvariantCulture)),
        (decimal a, decimal b) => a.CompareTo(b),
        _ => Convert.ToDouble(left, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(right, CultureInfo.InvariantCulture)),
    };
}
