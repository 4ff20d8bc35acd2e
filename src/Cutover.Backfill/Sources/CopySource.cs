using System.Data;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Npgsql;
using NpgsqlTypes;

namespace Cutover.Backfill.Sources;

/// <summary>
/// Reads each batch from PostgreSQL with <c>COPY (SELECT … keyset page …) TO STDOUT (FORMAT BINARY)</c>:
/// the same page as <see cref="KeysetSource"/>, streamed in PostgreSQL's binary form instead of
/// row messages, which costs the server and the client less per value. The values are read as
/// the .NET types the SELECT reader gives, so checksums, checkpoint keys and conversions are the
/// same whichever reader ran.
/// </summary>
/// <remarks>
/// COPY takes no parameters, so the last key (and a catch-up pass's mark) is turned into SQL literals
/// by PostgreSQL itself (<c>quote_literal(@k::text)</c>, one short round trip per batch): each is bound exactly as
/// the SELECT reader binds it and written back in the server's own text form, with no quoting done here.
/// </remarks>
internal sealed class CopySource : IBatchSource
{
    private readonly NpgsqlConnection _connection;
    private readonly KeysetQuery _query;
    private readonly IReadOnlyList<NpgsqlDbType> _types;
    private readonly string _literals;

    private CopySource(NpgsqlConnection connection, KeysetQuery query, IReadOnlyList<NpgsqlDbType> types, IReadOnlyList<uint> typeOids)
    {
        _connection = connection;
        _query = query;
        _types = types;
        TypeOids = typeOids;
        var mark = query.Mark is null ? string.Empty : ", quote_literal(@changed::text)";
        _literals = "SELECT " + string.Join(", ", Enumerable.Range(0, query.KeyCount).Select(i => $"quote_literal(@k{i}::text)")) + mark;
    }

    /// <summary>
    /// A COPY reader over <paramref name="connection"/> (which it owns from then on), or null when a
    /// mapped column's type has no binary reader in Npgsql (an enum, a composite, an extension's
    /// type); the SELECT reader handles those. With <paramref name="changedSince"/> (a catch-up pass)
    /// only rows whose change column is above its value are read (any with one when it is null).
    /// </summary>
    public static async Task<CopySource?> TryCreateAsync(NpgsqlConnection connection, BackfillJob job, string? from, ChangedSince? changedSince, CancellationToken cancellationToken)
    {
        var query = new KeysetQuery(job, from, changedSince);
        await using var command = new NpgsqlCommand(query.Shape, connection);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken);
        var schema = reader.GetColumnSchema();
        var types = schema.Select(c => c.NpgsqlDbType).ToList();
        return types.All(t => t is not null and not NpgsqlDbType.Unknown) ? new CopySource(connection, query, [.. types.Select(t => t!.Value)], [.. schema.Select(c => c.TypeOID)]) : null;
    }

    /// <summary>The PostgreSQL type (OID) of each mapped column as the page query returns it, in the job's column order.</summary>
    public IReadOnlyList<uint> TypeOids { get; }

    /// <summary>The source connection, for telling a lost connection from a failed batch.</summary>
    public NpgsqlConnection Connection => _connection;

    /// <summary>
    /// The page after <paramref name="after"/> as PostgreSQL's binary COPY stream, unparsed: what
    /// the pass-through copy hands to the target as it comes. It must be read to its end.
    /// </summary>
    public async Task<NpgsqlRawCopyStream> ExportAsync(IReadOnlyList<object?>? after, int limit, CancellationToken cancellationToken) =>
        await _connection.BeginRawBinaryCopyAsync(await PageCopyAsync(after, limit, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken) => _query.CountAsync(_connection, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<object?[]>> ReadAsync(IReadOnlyList<object?>? after, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>(limit);
        await using var export = await _connection.BeginBinaryExportAsync(await PageCopyAsync(after, limit, cancellationToken), cancellationToken);
        while (await export.StartRowAsync(cancellationToken) != -1)
        {
            var row = new object?[_types.Count];
            for (var i = 0; i < row.Length; i++)
            {
                if (export.IsNull)
                {
                    await export.SkipAsync(cancellationToken);
                }
                else
                {
                    row[i] = await export.ReadAsync<object>(_types[i], cancellationToken);
                }
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>The COPY statement of the page after <paramref name="after"/>.</summary>
    private async Task<string> PageCopyAsync(IReadOnlyList<object?>? after, int limit, CancellationToken cancellationToken)
    {
        var literals = after is null && _query.Mark is null ? [] : await LiteralsAsync(after ?? [], cancellationToken);
        var sql = _query.Page(after is null ? null : literals.Take(after.Count).ToList(), _query.Mark is null ? null : literals[^1], limit);
        return $"COPY ({sql}) TO STDOUT (FORMAT BINARY)";
    }

    /// <summary>The key's values as SQL literals, then the catch-up mark's when there is one; a missing key is bound as nulls, which are not used.</summary>
    private async Task<IReadOnlyList<string>> LiteralsAsync(IReadOnlyList<object?> key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_literals, _connection);
        for (var i = 0; i < _query.KeyCount; i++)
        {
            KeysetQuery.Bind(command, $"k{i}", i < key.Count ? key[i] : null);
        }

        _query.BindMark(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return [.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetString(i))];
    }
}
