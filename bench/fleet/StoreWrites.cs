using Npgsql;

namespace Cutover.Bench.Fleet;

/// <summary>
/// Rows written (and read) per table and transactions committed in the store's database, from PostgreSQL's
/// cumulative statistics (<c>pg_stat_user_tables</c>, <c>pg_stat_database</c>); two readings
/// apart give the writes in between. PostgreSQL's backends report these at most once a second, so
/// a window of tens of seconds is counted to within a second's writes at each end.
/// </summary>
internal sealed record StoreWrites(IReadOnlyDictionary<string, TableWrites> Tables, long Commits, DateTimeOffset At)
{
    public static async Task<StoreWrites> ReadAsync(string store)
    {
        await using var connection = new NpgsqlConnection(store);
        await connection.OpenAsync();
        await using (var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection))
        {
            await clear.ExecuteNonQueryAsync();
        }

        var tables = new Dictionary<string, TableWrites>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables", connection))
        await using (var rows = await read.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                tables[rows.GetString(0)] = new TableWrites(rows.GetInt64(1), rows.GetInt64(2), rows.GetInt64(3), rows.GetInt64(4));
            }
        }

        await using var commits = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
        return new StoreWrites(tables, (long)(await commits.ExecuteScalarAsync())!, DateTimeOffset.UtcNow);
    }

    /// <summary>What was written and read from <paramref name="before"/> to this reading, per table, busiest writes first, leaving out tables nobody touched.</summary>
    public IReadOnlyList<(string Table, TableWrites Writes)> Since(StoreWrites before) =>
        [.. Tables.Select(t => (t.Key, t.Value - before.Tables.GetValueOrDefault(t.Key, TableWrites.None)))
            .Where(t => t.Item2.Total > 0 || t.Item2.Read > 0)
            .OrderByDescending(t => t.Item2.Total)];
}

/// <summary>Rows inserted, updated and deleted in one table, and rows read from it (by sequential scans and index fetches).</summary>
internal sealed record TableWrites(long Inserted, long Updated, long Deleted, long Read)
{
    public static readonly TableWrites None = new(0, 0, 0, 0);

    public long Total => Inserted + Updated + Deleted;

    public static TableWrites operator -(TableWrites a, TableWrites b) => new(a.Inserted - b.Inserted, a.Updated - b.Updated, a.Deleted - b.Deleted, a.Read - b.Read);
}
