using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using Cutover.Store.Schema;
using Cutover.Store.Sql;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace Cutover.Store.Sqlite;

/// <summary>
/// The default store: one SQLite file, shared by the proxy and the CLI. WAL journaling lets
/// readers go on while one writer commits, and a busy timeout makes a second writer wait its turn
/// instead of failing. Every write transaction starts with <c>BEGIN IMMEDIATE</c>, which takes the
/// file's write lock up front, so two read-then-write changes can never interleave.
/// <para>
/// A file deleted or replaced while Cutover runs is not written to: pooled connections keep the
/// old file open, and SQLite would go on committing into a file nobody can open again. So the
/// store marks its file with a random id (the header's <c>user_version</c>, which Cutover does
/// not otherwise use) when it opens it, and each write transaction first reads those four bytes
/// from the path: a file that is gone, or carries another id, refuses the write. Once opened,
/// connections no longer create the file, so a read after a deletion fails rather than start an
/// empty store.
/// </para>
/// </summary>
internal sealed class SqliteControlStore : SqlControlStore
{
    private const int BusyTimeoutSeconds = 5;
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    // Where SQLite's file format keeps user_version: four big-endian bytes at offset 60 of the header.
    private const int IdOffset = 60;

    private readonly string path;
    private readonly string createString;
    private readonly string openString;
    private volatile string connectionString;
    private volatile int storeId;

    /// <summary>Creates a store on the file at <paramref name="path"/>; <paramref name="description"/> is the location as the user wrote it.</summary>
    public SqliteControlStore(string description, string path, TimeProvider time)
        : base(time)
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
    protected override string SchemaVersionTableSql => StoreSchema.SqliteVersionTable;

    /// <inheritdoc />
    protected override string LockRowSuffix => string.Empty;

    // BEGIN IMMEDIATE already lets one claim in at a time, so the range it finds is still free when it marks it.
    /// <inheritdoc />
    protected override string SkipLockedSuffix => string.Empty;

    // With two arguments SQLite's MAX and MIN are scalar; times are fixed-width ISO-8601 text, so they compare in time order.
    /// <inheritdoc />
    protected override string GreatestFunction => "MAX";

    /// <inheritdoc />
    protected override string LeastFunction => "MIN";

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
    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        CheckFile(connection);

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
    protected override async Task InitializedAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = (SqliteTransaction)transaction;
        read.CommandText = "PRAGMA user_version;";
        var id = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        if (id == 0)
        {
            id = Random.Shared.Next(1, int.MaxValue);
            await using var write = connection.CreateCommand();
            write.Transaction = (SqliteTransaction)transaction;
            write.CommandText = $"PRAGMA user_version = {id};";
            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        storeId = id;
        connectionString = openString;
    }

    /// <inheritdoc />
    protected override string SqlOf(SchemaStep step) => step.Sqlite;

    /// <inheritdoc />
    protected override object ToDatabase(DateTimeOffset time) =>
        time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <inheritdoc />
    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

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

    /// <summary>Throws when the file at the path is not the one this store opened: deleted, or replaced by another.</summary>
    private void CheckFile(DbConnection connection)
    {
        if (storeId == 0)
        {
            return;
        }

        var id = IdAtPath();
        if (id == 0)
        {
            // The id reaches the file itself only when the log is checkpointed into it; until then
            // its header still says 0. Checkpoint what can be now; a file that still says 0 is taken as ours.
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            checkpoint.ExecuteNonQuery();
            id = IdAtPath();
            if (id == 0)
            {
                return;
            }
        }

        if (id == storeId)
        {
            return;
        }

        var what = id is not null ? "was replaced by another database" : File.Exists(path) ? "was emptied" : "was deleted";
        throw new StoreUnavailableException(
            $"The control store {Description} is unavailable: its file {path} {what} while Cutover ran, so nothing more is written to it " +
            $"(a write now would be lost, and the state and audit history the file held are not there at the next start). " +
            $"Put the file back from a backup and restart Cutover, or restart it to start a new, empty store there.");
    }

    /// <summary>The id in the header of the file now at the path; null when there is no file or it is too short to be a database.</summary>
    private int? IdAtPath()
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            Span<byte> id = stackalloc byte[4];
            file.Position = IdOffset;
            return file.ReadAtLeast(id, id.Length, throwOnEndOfStream: false) == id.Length ? BinaryPrimitives.ReadInt32BigEndian(id) : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
