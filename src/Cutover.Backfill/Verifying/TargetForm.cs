using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Databases;

namespace Cutover.Backfill.Verifying;

/// <summary>
/// Rows in the form the target stores them, so both sides compare by meaning: a source's mapped
/// row is converted as the upsert converts it (SQLite's 0/1 into a boolean, ISO text into a
/// timestamp, a UUID into SQLite text), and a row read back from the target goes through the same
/// conversion, which leaves it as it is. The canonical encoding of <see cref="RowChecksum"/> then
/// gives both the same bytes exactly when the target holds what the copy would write.
/// </summary>
internal sealed class TargetForm(BackfillDatabase database, IReadOnlyList<TableColumn> columns, IReadOnlyList<int> keyColumns)
{
    /// <summary>The target columns, in the job's column order.</summary>
    public IReadOnlyList<TableColumn> Columns => columns;

    /// <summary><paramref name="row"/> as the target would hold it; a value the target cannot take stays as read, so it differs and is reported.</summary>
    public object?[] Of(object?[] row)
    {
        var converted = new object?[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            try
            {
                var value = database.ToTarget(row[i], columns[i]);
                converted[i] = value is DBNull ? null : value;
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                converted[i] = row[i];
            }
        }

        return converted;
    }

    /// <summary>The key values of a row (as read, or converted).</summary>
    public object?[] Key(object?[] row) => [.. keyColumns.Select(i => row[i])];

    /// <summary>The canonical encoding of a converted row's key, which finds the row with the same key on the other side.</summary>
    public string Identity(object?[] converted) => RowChecksum.Canonical(Key(converted));

    /// <summary>A row's key for people: "(2, 87)".</summary>
    public string Display(object?[] row) => DisplayKey(Key(row));

    /// <summary>Key values for people: "(2, 87)".</summary>
    public static string DisplayKey(object?[] key) => KeyCodec.Display(KeyCodec.Encode(key));
}
