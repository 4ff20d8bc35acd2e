using System.Data.Common;

namespace Cutover.Backfill.Databases;

/// <summary>Reads a query's rows as arrays of values, SQL NULL as null: the form the source, the target and verify pass rows in.</summary>
internal static class RowReader
{
    public static async Task<IReadOnlyList<object?[]>> ReadAsync(DbCommand command, int capacity, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>(capacity);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
