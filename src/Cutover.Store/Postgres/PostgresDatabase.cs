using System.Data;
using System.Data.Common;
using Cutover.Store.Sql;
using Npgsql;

namespace Cutover.Store.Postgres;

/// <summary>
/// The database of the store for several replicas: PostgreSQL. A change locks its migration's row
/// (<c>SELECT … FOR UPDATE</c>) so concurrent changes to one migration queue up while changes to
/// different migrations run side by side; schema upgrades take an advisory lock so replicas
/// starting together upgrade once. Every committed change is announced on a notification
/// channel, and <see cref="WaitForChangeAsync"/> listens on it, so other replicas hear of a
/// change as soon as it commits.
/// </summary>
internal sealed class PostgresDatabase : SqlDatabase
{
    // Any fixed number works; this one spells "Cutover" so it is recognizable in pg_locks.
    private const long SchemaLockKey = 0x0043_7574_6F76_6572;

    // One channel for all Cutover stores on a server: a notification only prompts a re-read, so
    // hearing another deployment's change costs one query and changes nothing.
    private const string Channel = "cutover_state";

    private readonly NpgsqlDataSource dataSource;
    private NpgsqlConnection? listener;
    private readonly string server;
    private readonly string? database;

    /// <summary>The database an Npgsql connection string names, not connected yet; throws <see cref="ArgumentException"/> when it cannot be parsed.</summary>
    public PostgresDatabase(string connectionString, TimeProvider time)
        : base(SqlDialect.Postgres, time)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        server = $"{builder.Host}:{builder.Port}";
        database = builder.Database ?? builder.Username;
        var user = builder.Username is { Length: > 0 } name ? name + "@" : string.Empty;
        Description = $"postgresql://{user}{server}/{database}";
        dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    protected override string HintFor(DbException exception) => (exception as PostgresException)?.SqlState switch
    {
        PostgresErrorCodes.InvalidCatalogName => $"Create the database '{database}' on {server}, or correct Database in the connection string.",
        { } state when state.StartsWith("28", StringComparison.Ordinal) => "Check the user name and password in the connection string.",
        _ => $"Check that PostgreSQL is running and reachable at {server}.",
    };

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc />
    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    /// <inheritdoc />
    protected override async Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("key", SchemaLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override bool IsUnavailable(DbException exception) => exception switch
    {
        // 08: connection lost; 28: authentication; 3D000: no such database; 53: out of resources
        // (too many connections); 57P: the server is shutting down or restarting.
        PostgresException e => e.SqlState.StartsWith("08", StringComparison.Ordinal)
            || e.SqlState.StartsWith("28", StringComparison.Ordinal)
            || e.SqlState.StartsWith("53", StringComparison.Ordinal)
            || e.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || e.SqlState == PostgresErrorCodes.InvalidCatalogName,
        // Anything else from Npgsql itself (refused, timed out, TLS) never reached SQL.
        NpgsqlException => true,
        _ => false,
    };

    /// <inheritdoc />
    public override async Task NotifyChangedAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @name)", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("name", name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<bool> WaitForChangeAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        try
        {
            if (listener is null)
            {
                var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                listener = connection;
            }

            return await listener.WaitAsync(maxWait, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            // The listening connection broke (server restart, network): drop it and listen anew next time.
            await DropListenerAsync();
            throw Unavailable(e);
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await DropListenerAsync();
        await dataSource.DisposeAsync();
    }

    private async Task DropListenerAsync()
    {
        if (listener is not null)
        {
            await listener.DisposeAsync();
            listener = null;
        }
    }
}
