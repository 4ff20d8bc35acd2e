using System.Data.Common;
using System.Globalization;
using Cutover.Backfill.Jobs;
using Cutover.Core.Configuration;

namespace Cutover.Backfill.Databases;

/// <summary>
/// What differs between the engines a job reads from and writes to: how to connect, how to read
/// a table's shape from the catalog, how declared types sort into <see cref="ColumnFamily"/>, and
/// how a value becomes one the target column takes. The SQL of reading and writing batches is
/// the same on both (row-value comparisons, LIMIT, ON CONFLICT), so it lives in the source and
/// target once.
/// </summary>
public abstract class BackfillDatabase(DatabaseLocation location)
{
    /// <summary>Where the database is.</summary>
    public DatabaseLocation Location { get; } = location;

    /// <summary>The engine for a location.</summary>
    public static BackfillDatabase For(DatabaseLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Kind == StoreKind.Sqlite ? new SqliteDatabase(location) : new PostgresDatabase(location);
    }

    /// <summary>An identifier in double quotes, which both engines read the same way.</summary>
    public static string Quote(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// Opens a connection; any failure becomes a <see cref="BackfillDatabaseException"/> naming the
    /// database by its <paramref name="role"/> ("source" or "target") and what to check.
    /// </summary>
    public async Task<DbConnection> OpenAsync(string role, CancellationToken cancellationToken)
    {
        DbConnection connection;
        try
        {
            connection = CreateConnection();
        }
        catch (ArgumentException e)
        {
            throw new BackfillDatabaseException($"The {role} database {Location} is not a valid location: {e.Message.TrimEnd('.')}; {StoreLocation.AllowedForms}.", e);
        }

        try
        {
            await connection.OpenAsync(cancellationToken);
            await PrepareAsync(connection, cancellationToken);
            return connection;
        }
        catch (DbException e)
        {
            await connection.DisposeAsync();
            throw Unavailable(role, e);
        }
    }

    /// <summary>The error for a database that cannot be reached or opened.</summary>
    public BackfillDatabaseException Unavailable(string role, Exception e) =>
        new($"The {role} database {Location} cannot be used: {e.Message.TrimEnd('.')}. {Hint}", e);

    /// <summary>The shape of <paramref name="table"/>, or null when the database has no such table.</summary>
    public abstract Task<TableShape?> DescribeAsync(DbConnection connection, string table, CancellationToken cancellationToken);

    /// <summary>The family of a declared type, or of a result column's data type name.</summary>
    public abstract ColumnFamily FamilyOf(string typeName);

    /// <summary>
    /// <paramref name="value"/> (as read from any source) as <paramref name="column"/> takes it;
    /// throws <see cref="FormatException"/>, <see cref="InvalidCastException"/> or
    /// <see cref="OverflowException"/> when it cannot.
    /// </summary>
    public abstract object ToTarget(object? value, TableColumn column);

    /// <summary>How a parameter is written in the upsert for <paramref name="column"/>; a cast where the engine will not convert by itself.</summary>
    public virtual string ParameterFor(string parameter, TableColumn column) => parameter;

    /// <summary>What to check when the database cannot be used.</summary>
    protected abstract string Hint { get; }

    /// <summary>A new, closed connection; throws <see cref="ArgumentException"/> for a location that is not one.</summary>
    protected abstract DbConnection CreateConnection();

    /// <summary>Settings for each connection once open.</summary>
    protected virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A value as invariant text, for text columns.</summary>
    protected static string Text(object value) => value switch
    {
        string text => text,
        Guid guid => guid.ToString("D"),
        DateTime time => time.ToString(time.Kind == DateTimeKind.Utc ? "yyyy-MM-dd HH:mm:ss.FFFFFFF'Z'" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>A value read as text or a time, as a UTC point in time.</summary>
    protected static DateTimeOffset PointInTime(object value) => value switch
    {
        DateTimeOffset time => time,
        DateTime { Kind: DateTimeKind.Unspecified } time => new DateTimeOffset(time, TimeSpan.Zero),
        DateTime time => new DateTimeOffset(time.ToUniversalTime()),
        DateOnly date => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new InvalidCastException($"a {value.GetType().Name} is not a point in time"),
    };
}
