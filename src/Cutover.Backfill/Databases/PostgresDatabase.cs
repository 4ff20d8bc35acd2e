using System.Data.Common;
using System.Globalization;
using Cutover.Backfill.Jobs;
using Npgsql;

namespace Cutover.Backfill.Databases;

/// <summary>
/// A PostgreSQL database. Npgsql sends each parameter with the type of its .NET value and
/// PostgreSQL converts few of them implicitly, so values are converted to exactly the .NET type
/// the target column's type reads (a SQLite integer into a boolean, ISO text into a timestamp),
/// and JSON and types this build does not sort are cast in the SQL from their text.
/// </summary>
internal sealed class PostgresDatabase(DatabaseLocation location) : BackfillDatabase(location)
{
    private const string ColumnsQuery = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname,
               a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = ''
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = @table::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    private const string UniqueKeysQuery = """
        SELECT ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n)
        FROM pg_index i
        WHERE i.indrelid = @table::regclass AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
        ORDER BY i.indisprimary DESC, i.indexrelid
        """;

    /// <inheritdoc />
    protected override string Hint =>
        "Check that the server is running and reachable, and that the connection string's Host, Port, Database, Username and Password are right.";

    /// <inheritdoc />
    protected override DbConnection CreateConnection() => new NpgsqlConnection(Location.Text);

    /// <inheritdoc />
    public override async Task<TableShape?> DescribeAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand("SELECT to_regclass(@table)::text", (NpgsqlConnection)connection);
        find.Parameters.AddWithValue("table", table);
        if (await find.ExecuteScalarAsync(cancellationToken) is not string name)
        {
            return null;
        }

        var columns = new List<TableColumn>();
        await using (var command = new NpgsqlCommand(ColumnsQuery, (NpgsqlConnection)connection))
        {
            command.Parameters.AddWithValue("table", name);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(new TableColumn(reader.GetString(0), reader.GetString(1), FamilyOf(reader.GetString(2)), reader.GetBoolean(3)));
            }
        }

        var keys = new List<IReadOnlyList<string>>();
        await using (var command = new NpgsqlCommand(UniqueKeysQuery, (NpgsqlConnection)connection))
        {
            command.Parameters.AddWithValue("table", name);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add(reader.GetFieldValue<string[]>(0));
            }
        }

        return new TableShape(name, columns, keys);
    }

    /// <inheritdoc />
    public override ColumnFamily FamilyOf(string typeName) => typeName.ToLowerInvariant() switch
    {
        "int2" or "int4" or "int8" or "smallint" or "integer" or "bigint" => ColumnFamily.Integer,
        "numeric" => ColumnFamily.Decimal,
        "float4" or "float8" or "real" or "double precision" => ColumnFamily.Float,
        "bool" or "boolean" => ColumnFamily.Boolean,
        "text" or "varchar" or "bpchar" or "name" or "citext" or "character varying" or "character" => ColumnFamily.Text,
        "timestamp" or "timestamptz" or "timestamp without time zone" or "timestamp with time zone" => ColumnFamily.Timestamp,
        "date" => ColumnFamily.Date,
        "uuid" => ColumnFamily.Uuid,
        "bytea" => ColumnFamily.Binary,
        "json" or "jsonb" => ColumnFamily.Json,
        _ => ColumnFamily.Other,
    };

    /// <inheritdoc />
    public override object ToTarget(object? value, TableColumn column)
    {
        if (value is null or DBNull)
        {
            return DBNull.Value;
        }

        var type = column.TypeName;
        return column.Family switch
        {
            ColumnFamily.Integer when type.StartsWith("smallint", StringComparison.Ordinal) => Convert.ToInt16(value, CultureInfo.InvariantCulture),
            ColumnFamily.Integer when type.StartsWith("integer", StringComparison.Ordinal) => Convert.ToInt32(value, CultureInfo.InvariantCulture),
            ColumnFamily.Integer => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ColumnFamily.Decimal => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
            ColumnFamily.Float when type == "real" => Convert.ToSingle(value, CultureInfo.InvariantCulture),
            ColumnFamily.Float => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            ColumnFamily.Boolean => value switch
            {
                bool flag => flag,
                string text => text.Trim().ToLowerInvariant() is "1" or "t" or "true" or "y" or "yes"
                    || (text.Trim().ToLowerInvariant() is "0" or "f" or "false" or "n" or "no" ? false : throw new FormatException($"'{text}' is not true or false")),
                _ => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
            },
            ColumnFamily.Text or ColumnFamily.Json or ColumnFamily.Other when value is not byte[] => Text(value),
            ColumnFamily.Timestamp when type.EndsWith("with time zone", StringComparison.Ordinal) => PointInTime(value).UtcDateTime,
            ColumnFamily.Timestamp => DateTime.SpecifyKind(value is DateTime local ? local : PointInTime(value).UtcDateTime, DateTimeKind.Unspecified),
            ColumnFamily.Date => value is string day && day.Length == 10
                ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture)
                : DateOnly.FromDateTime(PointInTime(value).UtcDateTime),
            ColumnFamily.Uuid => value switch
            {
                Guid guid => guid,
                byte[] { Length: 16 } bytes => new Guid(bytes),
                _ => Guid.Parse(Text(value), CultureInfo.InvariantCulture),
            },
            _ => value,
        };
    }

    /// <inheritdoc />
    public override string ParameterFor(string parameter, TableColumn column) =>
        column.Family is ColumnFamily.Json or ColumnFamily.Other ? $"CAST({parameter} AS {column.TypeName})" : parameter;
}
