using System.Data.Common;
using Cutover.Backfill.Jobs;
using Cutover.Core.Configuration;
using Microsoft.Data.Sqlite;

namespace Cutover.Backfill.Databases;

/// <summary>
/// A SQLite file. It must exist (a typo must not create an empty database to copy from or into).
/// SQLite stores any value in any column, so values are converted only where its own affinity
/// would not: booleans to 0/1, times and UUIDs to text.
/// </summary>
internal sealed class SqliteDatabase(DatabaseLocation location) : BackfillDatabase(location)
{
    private const int BusyTimeoutSeconds = 30;

    private string FilePath => Path.GetFullPath(StoreLocation.SqlitePath(Location.Text));

    /// <inheritdoc />
    protected override string Hint => $"Check that the file {FilePath} exists and is a SQLite database (a relative path is taken from the current folder).";

    /// <inheritdoc />
    protected override DbConnection CreateConnection() => new SqliteConnection(new SqliteConnectionStringBuilder
    {
        DataSource = FilePath,
        Mode = SqliteOpenMode.ReadWrite,
        DefaultTimeout = BusyTimeoutSeconds,
    }.ToString());

    /// <inheritdoc />
    protected override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; SELECT count(*) FROM sqlite_master;";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<TableShape?> DescribeAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var find = connection.CreateCommand();
        find.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name = @table COLLATE NOCASE";
        find.Parameters.Add(new SqliteParameter("table", table));
        if (await find.ExecuteScalarAsync(cancellationToken) is not string name)
        {
            return null;
        }

        var columns = new List<TableColumn>();
        var primaryKey = new SortedList<long, string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name, type, \"notnull\", dflt_value IS NOT NULL, pk FROM pragma_table_info(@table)";
            info.Parameters.Add(new SqliteParameter("table", name));
            await using var reader = await info.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var type = reader.GetString(1);
                var pk = reader.GetInt64(4);
                var integerKey = pk > 0 && type.Equals("INTEGER", StringComparison.OrdinalIgnoreCase);
                columns.Add(new TableColumn(reader.GetString(0), type, FamilyOf(type), reader.GetBoolean(2) && !reader.GetBoolean(3) && !integerKey));
                if (pk > 0)
                {
                    primaryKey.Add(pk, reader.GetString(0));
                }
            }
        }

        var keys = new List<IReadOnlyList<string>>();
        if (primaryKey.Count > 0)
        {
            keys.Add([.. primaryKey.Values]);
        }

        var indexes = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM pragma_index_list(@table) WHERE \"unique\" = 1 AND partial = 0";
            list.Parameters.Add(new SqliteParameter("table", name));
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add(reader.GetString(0));
            }
        }

        foreach (var index in indexes)
        {
            await using var info = connection.CreateCommand();
            info.CommandText = "SELECT name FROM pragma_index_info(@index) ORDER BY seqno";
            info.Parameters.Add(new SqliteParameter("index", index));
            await using var reader = await info.ExecuteReaderAsync(cancellationToken);
            var indexColumns = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                // An index on an expression has a null name for that column: no column set to upsert on.
                indexColumns.Add(reader.IsDBNull(0) ? string.Empty : reader.GetString(0));
            }

            if (!indexColumns.Contains(string.Empty))
            {
                keys.Add(indexColumns);
            }
        }

        return new TableShape(Quote(name), columns, keys);
    }

    /// <inheritdoc />
    public override ColumnFamily FamilyOf(string typeName)
    {
        // SQLite's affinity rules (by substring of the declared type), after the names people use for types SQLite has not got.
        var type = typeName.ToUpperInvariant();
        bool Has(string part) => type.Contains(part, StringComparison.Ordinal);
        return type switch
        {
            _ when Has("UUID") || Has("GUID") => ColumnFamily.Uuid,
            _ when Has("JSON") => ColumnFamily.Json,
            _ when Has("BOOL") => ColumnFamily.Boolean,
            _ when Has("TIME") => ColumnFamily.Timestamp,
            _ when Has("DATE") => ColumnFamily.Date,
            _ when Has("INT") => ColumnFamily.Integer,
            _ when Has("CHAR") || Has("CLOB") || Has("TEXT") => ColumnFamily.Text,
            _ when Has("BLOB") => ColumnFamily.Binary,
            _ when Has("REAL") || Has("FLOA") || Has("DOUB") => ColumnFamily.Float,
            _ when Has("NUMERIC") || Has("DECIMAL") => ColumnFamily.Decimal,
            _ => ColumnFamily.Other,
        };
    }

    /// <inheritdoc />
    public override object ToTarget(object? value, TableColumn column) => value switch
    {
        null or DBNull => DBNull.Value,
        bool flag => flag ? 1L : 0L,
        byte[] bytes => bytes,
        decimal number when column.Family is ColumnFamily.Float => (double)number,
        decimal number when column.Family is ColumnFamily.Integer && number == decimal.Truncate(number) => (long)number,
        Guid or DateTime or DateTimeOffset or DateOnly => Text(value),
        _ when column.Family is ColumnFamily.Text => Text(value),
        _ => value,
    };
}
