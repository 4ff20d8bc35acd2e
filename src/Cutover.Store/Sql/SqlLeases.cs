namespace Cutover.Store.Sql;

/// <summary>
/// Named leases, one row each: taken when free or expired, renewed by their holder, given up on
/// release, so one process at a time runs plans or a backfill job.
/// </summary>
internal sealed class SqlLeases(SqlDatabase database)
{
    private readonly SqlDialect dialect = database.Dialect;

    /// <inheritdoc cref="ILeaseStore.TryLeaseAsync"/>
    public Task<bool> TryLeaseAsync(string name, string holder, TimeSpan term, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        const string Take = """
            INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires_at)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at < @now
            """;
        return database.RunAsync(async (connection, ct) =>
        {
            var now = database.Now();
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            var taken = await connection.ExecuteAsync(
                transaction, Take, ct, ("name", name), ("holder", holder), ("expires_at", dialect.ToDatabase(now + term)), ("now", dialect.ToDatabase(now)));
            await transaction.CommitAsync(ct);
            return taken == 1;
        }, cancellationToken);
    }

    /// <inheritdoc cref="ILeaseStore.ReleaseLeaseAsync"/>
    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            await connection.ExecuteAsync(transaction, "DELETE FROM leases WHERE name = @name AND holder = @holder", ct, ("name", name), ("holder", holder));
            await transaction.CommitAsync(ct);
        }, cancellationToken);

    /// <inheritdoc cref="ILeaseStore.GetLeaseHolderAsync"/>
    public Task<string?> GetLeaseHolderAsync(string name, CancellationToken cancellationToken) =>
        database.RunAsync(
            async (connection, ct) => (await connection.QueryAsync(
                "SELECT holder FROM leases WHERE name = @name", reader => (string?)reader.GetString(0), ct, ("name", name))).FirstOrDefault(),
            cancellationToken);
}
