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

    /// <summary>
    /// A source over <paramref name="connection"/>, which it owns; <paramref name="from"/> is the table (as SQL) or null for the job's query.
    /// With <paramref name="changedSince"/> (a catch-up pass) only rows whose change column is above its value are read (any with one when it is null).
    /// </summary>
    public KeysetSource(DbConnection connection, BackfillJob job, string? from, ChangedSince? changedSince = null)
    {
        _connection = connection;
        _query = new KeysetQuery(job, from, changedSince);
        _after = [.. Enumerable.Range(0, _query.KeyCount).Select(i => $"@k{i}")];
    }

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken) => _query.CountAsync(_connection, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<object?[]>> ReadAsync(IReadOnlyList<object?>? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = _query.Page(after is null ? null : _after, "@changed", limit);
        _query.BindMark(command);
        for (var i = 0; after is not null && i < after.Count; i++)
        {
            KeysetQuery.Bind(command, $"k{i}", after[i]);
        }

        return await RowReader.ReadAsync(command, limit, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
