using System.Data.Common;
using System.Globalization;
using Cutover.Core.Configuration;
using Cutover.Store.Schema;

namespace Cutover.Store.Sql;

/// <summary>
/// Where the SQL of SQLite and PostgreSQL differs, in one place: the store's statements are
/// written once, and take from here the few words and value forms that are not the same on both
/// engines. Everything else about an engine (connecting, locking, its errors) is its
/// <see cref="SqlDatabase"/>.
/// </summary>
internal sealed class SqlDialect
{
    private const string SqliteTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private readonly StoreKind engine;

    private SqlDialect(StoreKind engine) => this.engine = engine;

    /// <summary>SQLite's SQL: times as fixed-width ISO-8601 text, one writer at a time.</summary>
    public static SqlDialect Sqlite { get; } = new(StoreKind.Sqlite);

    /// <summary>PostgreSQL's SQL: times as <c>timestamptz</c>, row locks.</summary>
    public static SqlDialect Postgres { get; } = new(StoreKind.Postgres);

    /// <summary>The database's schema version table, created before any step runs.</summary>
    public string SchemaVersionTableSql => IsPostgres ? StoreSchema.PostgresVersionTable : StoreSchema.SqliteVersionTable;

    /// <summary>
    /// What to append to a SELECT to lock the row it reads until the transaction ends; empty on
    /// SQLite, whose write transaction (<c>BEGIN IMMEDIATE</c>) already excludes other writers.
    /// </summary>
    public string LockRowSuffix => IsPostgres ? " FOR UPDATE OF m" : string.Empty;

    /// <summary>
    /// What to append to the claim's SELECT so that concurrent claims pass over a row another claim
    /// has locked instead of waiting for it (and then both taking it); empty on SQLite, where
    /// <c>BEGIN IMMEDIATE</c> already lets one claim in at a time, so the range it finds is still
    /// free when it marks it.
    /// </summary>
    public string SkipLockedSuffix => IsPostgres ? " FOR UPDATE SKIP LOCKED" : string.Empty;

    /// <summary>
    /// The scalar function giving the later of two stored times, so adding a replica's counts moves
    /// "last seen" on and never back. With two arguments SQLite's MAX is scalar; its times are
    /// fixed-width ISO-8601 text, so they compare in time order.
    /// </summary>
    public string GreatestFunction => IsPostgres ? "GREATEST" : "MAX";

    /// <summary>The scalar function giving the earlier of two stored times, so adding a replica's counts keeps the earliest "first seen".</summary>
    public string LeastFunction => IsPostgres ? "LEAST" : "MIN";

    private bool IsPostgres => engine == StoreKind.Postgres;

    /// <summary>A time in UTC cut to whole milliseconds, the precision every engine stores, so what is written equals what is read back.</summary>
    public static DateTimeOffset ToMilliseconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    /// <summary>The SQL of a schema step for this engine.</summary>
    public string SqlOf(SchemaStep step) => IsPostgres ? step.Postgres : step.Sqlite;

    /// <summary>A time as this engine stores it; always UTC and whole milliseconds.</summary>
    public object ToDatabase(DateTimeOffset time) =>
        IsPostgres ? time.ToUniversalTime() : time.UtcDateTime.ToString(SqliteTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a time stored by <see cref="ToDatabase"/>.</summary>
    public DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        IsPostgres
            ? reader.GetFieldValue<DateTimeOffset>(ordinal)
            : DateTimeOffset.ParseExact(reader.GetString(ordinal), SqliteTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
