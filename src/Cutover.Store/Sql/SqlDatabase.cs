using System.Data.Common;
using System.Globalization;
using Cutover.Store.Schema;

namespace Cutover.Store.Sql;

/// <summary>
/// One engine's database under the store's roles: how to connect, how to take the write lock,
/// which errors mean the database cannot be reached, and how the schema is created or upgraded.
/// Every operation opens its own pooled connection, so the store is safe to share between threads
/// and between the proxy and the CLI. Each engine supplies only what truly differs; the SQL words
/// that differ are its <see cref="Dialect"/>.
/// </summary>
internal abstract class SqlDatabase(SqlDialect dialect, TimeProvider time) : IAsyncDisposable
{
    // The probe's own lease row: never taken by anyone, its expiry is just what the probe writes.
    private const string Heartbeat = """
        INSERT INTO leases (name, holder, expires_at) VALUES ('cutover.readyz', 'readyz', @now)
        ON CONFLICT (name) DO UPDATE SET expires_at = excluded.expires_at
        """;

    /// <summary>
    /// How long <see cref="PingAsync"/> waits for the store to take a write, a lock included,
    /// before it says the store is not ready: short, so a probe every few seconds is answered
    /// before the probe itself times out.
    /// </summary>
    protected static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A short description for logs and errors, without secrets (e.g. "sqlite:cutover.db").</summary>
    public abstract string Description { get; }

    /// <summary>The SQL words and value forms of this engine.</summary>
    public SqlDialect Dialect => dialect;

    /// <summary>Whether <see cref="InitializeAsync"/> found no schema and created it.</summary>
    public bool CreatedAfresh { get; private set; }

    /// <summary>
    /// Starts a transaction that will write, taking whatever lock makes concurrent writers wait for
    /// each other; throws <see cref="StoreUnavailableException"/> when the database is no longer
    /// the one this store opened, so no change is written where nobody will read it.
    /// </summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Tells other processes, on commit of <paramref name="transaction"/>, that a migration changed; engines that cannot, do nothing.</summary>
    public virtual Task NotifyChangedAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Waits until another process may have changed a migration, or <paramref name="maxWait"/>
    /// passes; true when told of a change. Engines that cannot be told just wait.
    /// </summary>
    public virtual async Task<bool> WaitForChangeAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        await Task.Delay(maxWait, time, cancellationToken);
        return false;
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>Now, cut to whole milliseconds so what a call returns equals what a later read returns on every engine.</summary>
    public DateTimeOffset Now() => SqlDialect.ToMilliseconds(time.GetUtcNow());

    /// <summary>Creates the schema or upgrades it to the current version; safe to call on every start.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            await PrepareAsync(connection, ct);
            await using var transaction = await BeginWriteAsync(connection, ct);
            await LockSchemaAsync(connection, transaction, ct);
            await connection.ExecuteAsync(transaction, dialect.SchemaVersionTableSql, ct);

            var stored = await connection.ScalarAsync(transaction, "SELECT MAX(version) FROM schema_version", ct);
            var version = stored is null or DBNull ? 0L : Convert.ToInt64(stored, CultureInfo.InvariantCulture);
            if (version > StoreSchema.CurrentVersion)
            {
                throw new StoreUnavailableException(
                    $"The store {Description} has schema version {version}, but this build of Cutover knows versions up to {StoreSchema.CurrentVersion}: " +
                    "a newer Cutover has upgraded it. Run that newer Cutover, or point this one at another store.");
            }

            foreach (var step in StoreSchema.Steps.Where(s => s.Version > version))
            {
                await connection.ExecuteAsync(transaction, dialect.SqlOf(step), ct);
                await connection.ExecuteAsync(
                    transaction,
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, @applied_at)",
                    ct,
                    ("version", (long)step.Version),
                    ("description", step.Description),
                    ("applied_at", dialect.ToDatabase(Now())));
            }

            await InitializedAsync(connection, transaction, ct);
            await transaction.CommitAsync(ct);
            CreatedAfresh = version == 0;
        }, cancellationToken);

    /// <summary>
    /// Whether the store takes a write now: a heartbeat write committed within <see cref="PingTimeout"/>,
    /// false when the database is unavailable, refuses the write or does not answer in time.
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(PingTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await RunAsync(async (connection, ct) =>
            {
                await using var transaction = await BeginProbeAsync(connection, PingTimeout, ct);
                await connection.ExecuteAsync(transaction, Heartbeat, ct, ("now", dialect.ToDatabase(Now())));
                await transaction.CommitAsync(ct);
                return true;
            }, linked.Token);
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
        catch (DbException)
        {
            return false;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Runs one operation that returns nothing; see <see cref="RunAsync{T}"/>.</summary>
    public Task RunAsync(Func<DbConnection, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync(
            async (connection, ct) =>
            {
                await work(connection, ct);
                return true;
            },
            cancellationToken);

    /// <summary>Runs one operation on its own connection, turning "cannot reach the database" errors into <see cref="StoreUnavailableException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        DbConnection connection;
        try
        {
            connection = await OpenConnectionAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw Unavailable(e);
        }

        await using (connection)
        {
            try
            {
                return await work(connection, cancellationToken);
            }
            catch (DbException e) when (IsUnavailable(e))
            {
                throw Unavailable(e);
            }
        }
    }

    /// <summary>What the user should check after an error that <see cref="IsUnavailable"/> accepted (or any error opening a connection), naming the file or server.</summary>
    protected abstract string HintFor(DbException exception);

    /// <summary>Opens a connection; failures are turned into <see cref="StoreUnavailableException"/> by the caller.</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Whether an error means the database cannot be reached or used at all, rather than a fault of one statement.</summary>
    protected abstract bool IsUnavailable(DbException exception);

    /// <summary>Starts the write transaction of <see cref="PingAsync"/>, waiting for a lock at most <paramref name="timeout"/>.</summary>
    protected virtual Task<DbTransaction> BeginProbeAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken) =>
        BeginWriteAsync(connection, cancellationToken);

    /// <summary>Work inside the schema transaction, after the schema is current (e.g. marking which file this store opened).</summary>
    protected virtual Task InitializedAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Work before the schema transaction, outside any transaction (e.g. choosing SQLite's journal mode).</summary>
    protected virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Makes two processes initializing the same database at once take turns, when the write transaction alone does not.</summary>
    protected virtual Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The error for a database that cannot be reached, naming the store and what to check.</summary>
    protected StoreUnavailableException Unavailable(DbException e)
    {
        var cause = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        return new StoreUnavailableException($"The control store {Description} is unavailable: {cause.TrimEnd('.')}. {HintFor(e)}", e);
    }
}
