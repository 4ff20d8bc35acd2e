namespace Cutover.Backfill.Databases;

/// <summary>
/// Which source column families can be written into which target families. Conservative only
/// where a copy would surely fail or lose meaning (text into a number, a number into a UUID);
/// text into times, UUIDs and JSON is allowed because SQLite keeps those as text.
/// </summary>
public static class TypeCompatibility
{
    /// <summary>Whether values of <paramref name="source"/> can be written to a column of <paramref name="target"/>.</summary>
    public static bool CanCopy(ColumnFamily source, ColumnFamily target) =>
        source == target || source == ColumnFamily.Other || target == ColumnFamily.Other || (source, target) switch
        {
            (_, ColumnFamily.Text) => source != ColumnFamily.Binary,
            (ColumnFamily.Integer, ColumnFamily.Decimal or ColumnFamily.Float or ColumnFamily.Boolean) => true,
            (ColumnFamily.Decimal, ColumnFamily.Float) or (ColumnFamily.Float, ColumnFamily.Decimal) => true,
            (ColumnFamily.Boolean, ColumnFamily.Integer) => true,
            (ColumnFamily.Text, ColumnFamily.Timestamp or ColumnFamily.Date or ColumnFamily.Uuid or ColumnFamily.Json) => true,
            (ColumnFamily.Timestamp, ColumnFamily.Date) or (ColumnFamily.Date, ColumnFamily.Timestamp) => true,
            _ => false,
        };
}
