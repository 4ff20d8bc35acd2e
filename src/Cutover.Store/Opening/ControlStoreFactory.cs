using Cutover.Core.Configuration;
using Cutover.Store.Postgres;
using Cutover.Store.Sql;
using Cutover.Store.Sqlite;

namespace Cutover.Store.Opening;

/// <summary>Opens the store named by a location: <c>sqlite:PATH</c> or a PostgreSQL connection string.</summary>
public static class ControlStoreFactory
{
    /// <summary>
    /// Creates the store (not yet initialized). Throws <see cref="StoreUnavailableException"/> for a
    /// location of neither form (<see cref="StoreLocation"/> decides, as the config validator does).
    /// A relative SQLite path is taken from the current folder now, so a later change of folder
    /// does not move the store.
    /// </summary>
    public static IControlStore Create(string location, TimeProvider time) => Open(location, time);

    /// <summary>
    /// Creates the store (not yet initialized) as the backfill engine sees it; the same locations,
    /// tables and errors as <see cref="Create"/>.
    /// </summary>
    public static IBackfillStore CreateBackfillStore(string location, TimeProvider time) => Open(location, time);

    /// <summary>
    /// Creates the store (not yet initialized) as <c>cutover token</c> sees it, so whoever holds the
    /// store can make the first admin token; the same locations and errors as <see cref="Create"/>.
    /// </summary>
    public static ITokenStore CreateTokenStore(string location, TimeProvider time) => Open(location, time);

    private static SqlControlStore Open(string location, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(time);
        var trimmed = location.Trim();
        switch (StoreLocation.Classify(trimmed))
        {
            case StoreKind.Sqlite:
                return new SqlControlStore(new SqliteDatabase(trimmed, Path.GetFullPath(StoreLocation.SqlitePath(trimmed)), time));
            case StoreKind.Postgres:
                try
                {
                    return new SqlControlStore(new PostgresDatabase(trimmed, time));
                }
                catch (ArgumentException e)
                {
                    throw new StoreUnavailableException(
                        $"The store location '{StoreLocation.Redact(location)}' is not a valid PostgreSQL connection string: {e.Message.TrimEnd('.')}; {StoreLocation.AllowedForms}.", e);
                }

            default:
                throw new StoreUnavailableException($"The store location {StoreLocation.Problem(StoreLocation.Redact(location))}.");
        }
    }
}
