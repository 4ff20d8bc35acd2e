using System.Data.Common;
using Cutover.Store.Sql;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace Cutover.Store.Sqlite;

/// <summary>
/// The default store's database: one SQLite file, shared by the proxy and the CLI. WAL journaling lets
/// readers go on while one writer commits, and a busy timeout makes a second writer wait its turn
/// instead of failing. Every write transaction starts with <c>BEGIN IMMEDIATE</c>, which takes the
/// file's write lock up front, so two read-then-write changes can never interleave.
/// <para>
/// A file deleted while Cutover runs is not written to: pooled connections keep the old file
/// open, and SQLite would go on committing into a file nobody can open again. So each write
/// transaction first asks the file system whether the path still holds a database (a stat, never
/// an open: closing any descriptor of the file would drop the POSIX locks SQLite holds on it in this
/// process, and let another process's writes interleave), and whether it is still the file the
/// store opened (its inode, <see cref="FileIdentity"/>). Once opened, connections no longer
/// create the file, so a read after a deletion fails rather than start an empty store.
/// </para>
/// </summary>
internal sealed class SqliteDatabase : SqlDatabase
{
    private const int BusyTimeoutSeconds = 5;

    private readonly string path;
    private readonly string createString;
    private readonly string openString;
    private volatile string connectionString;
    private volatile bool opened;
    private ulong? inode;

    /// <summary>The database in the file at <paramref name="path"/>, not opened yet; <paramref name="description"/> is the location as the user wrote it.</summary>
    public SqliteDatabase(string description, string path, TimeProvider time)
        : base(SqlDialect.Sqlite, time)
    {
        Description = description;
        this.path = path;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = BusyTimeoutSeconds,
        };
        createString = builder.ToString();
        builder.Mode = SqliteOpenMode.ReadWrite;
        openString = builder.ToString();
        connectionString = createString;
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    protected override string HintFor(DbException exception) => (exception as SqliteException)?.SqliteErrorCode switch
    {
        SQLITE_BUSY or SQLITE_LOCKED =>
            $"Another process held the write lock of {path} for more than {BusyTimeoutSeconds} seconds; check what else has the file open.",
        SQLITE_NOTADB or SQLITE_CORRUPT =>
            $"Check that {path} is a Cutover SQLite database and not another kind of file; point the store at a new file to start afresh.",
        _ => $"Check that the folder {Path.GetDirectoryName(path)} exists and is writable, and that its disk has room.",
    };

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    protected override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL is a property of the file, kept once set; it cannot change inside a transaction.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        CheckFile();

        // deferred: false is BEGIN IMMEDIATE: the write lock is taken now, waiting up to the busy timeout.
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }

    /// <inheritdoc />
    protected override async Task<DbTransaction> BeginProbeAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Taking the lock blocks for SQLite's busy timeout, and Microsoft.Data.Sqlite retries a busy
        // statement for the command timeout, neither of which a cancellation cuts short: shorten both for the probe alone.
        var sqlite = (SqliteConnection)connection;
        await SetBusyTimeoutAsync(connection, timeout, cancellationToken);
        sqlite.DefaultTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
        try
        {
            return await BeginWriteAsync(connection, cancellationToken);
        }
        finally
        {
            sqlite.DefaultTimeout = BusyTimeoutSeconds;
            await SetBusyTimeoutAsync(connection, TimeSpan.FromSeconds(BusyTimeoutSeconds), CancellationToken.None);
        }
    }

    /// <inheritdoc />
    protected override Task InitializedAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        inode = FileIdentity.Of(path);
        opened = true;
        connectionString = openString;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override bool IsUnavailable(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: SQLITE_BUSY or SQLITE_LOCKED or SQLITE_READONLY or SQLITE_IOERR or SQLITE_CORRUPT or SQLITE_FULL or SQLITE_CANTOPEN or SQLITE_NOTADB };

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        foreach (var text in new[] { createString, openString })
        {
            using var connection = new SqliteConnection(text);
            SqliteConnection.ClearPool(connection);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task SetBusyTimeoutAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds};";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Throws when the file at the path is gone, emptied or replaced since the store opened it.</summary>
    private void CheckFile()
    {
        if (!opened)
        {
            return;
        }

        var file = new FileInfo(path);
        var replaced = file.Exists && inode is { } opening && FileIdentity.Of(path) is { } now && now != opening;
        if (file.Exists && file.Length > 0 && !replaced)
        {
            return;
        }

        var what = !file.Exists ? "deleted" : replaced ? "replaced by another file" : "emptied";
        throw new StoreUnavailableException(
            $"The control store {Description} is unavailable: its file {path} was {what} while Cutover ran, so nothing more is written to it " +
            $"(a write now would be lost, and the state and audit history the file held are not there at the next start). " +
            $"Put the file back from a backup and restart Cutover, or restart it to start a new, empty store there.");
    }
}
