using System.Data.Common;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.Sources;

/// <summary>
/// Reads batches by keyset pagination: <c>WHERE (k1, k2) &gt; (@k1, @k2) ORDER BY k1, k2 LIMIT n</c>.
/// Unlike OFFSET, each batch costs the same however far into the table it is (an index on the
/// key serves it), and rows inserted or deleted behind the cursor do not shift the pages ahead.
/// Both SQLite and PostgreSQL accept the row-value comparison, so the SQL is written once.
/// </summary>
internal sealed class KeysetSource : IBatchSource
{
    private readonly DbConnection _connection;
    private readonly KeysetQuery _query;
    private readonly IReadOnlyList<string> _after;

    /// <summary>A source over <paramref name="connection"/>, which it owns; <paramref name="from"/> is the table (as SQL) or null for the job's query.</summary>
    public KeysetSource(DbConnection connection, BackfillJob job, string? from)
    {
        _connection = connection;
        _query = new KeysetQuery(job, from);
        _after = [.. Enumerable.Range(0, _query.KeyCount).Select(i => $"@k{i}")];
    }

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken) => _query.CountAsync(_connection, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<object?[]>> ReadAsync(IReadOnlyList<object?>? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = _query.Page(after is null ? null : _after, limit);
        for (var i = 0; after is not null && i < after.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"k{i}";
            parameter.Value = after[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return await RowReader.ReadAsync(command, limit, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
