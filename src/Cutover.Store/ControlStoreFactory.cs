using System.Text.RegularExpressions;
using Cutover.Store.Postgres;
using Cutover.Store.Sqlite;

namespace Cutover.Store;

/// <summary>Opens the store named by a location: <c>sqlite:PATH</c> or a PostgreSQL connection string.</summary>
public static partial class ControlStoreFactory
{
    private const string SqlitePrefix = "sqlite:";
    private const string Forms =
        "Write sqlite:PATH for a SQLite file (e.g. sqlite:cutover.db, relative to the current folder) " +
        "or a PostgreSQL connection string (e.g. Host=127.0.0.1;Port=5432;Username=cutover;Password=...;Database=cutover).";

    /// <summary>
    /// Creates the store (not yet initialized). Throws <see cref="StoreUnavailableException"/> for a
    /// location of neither form. A relative SQLite path is taken from the current folder now, so a
    /// later change of folder does not move the store.
    /// </summary>
    public static IControlStore Create(string location, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(time);
        var trimmed = location.Trim();

        if (trimmed.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = trimmed[SqlitePrefix.Length..].Trim();
            if (path.Length == 0 || path.Equals(":memory:", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreUnavailableException(
                    $"The store location '{location}' names no SQLite file; the store must outlive the process. {Forms}");
            }

            return new SqliteControlStore(trimmed, Path.GetFullPath(path), time);
        }

        if (HostKey().IsMatch(trimmed))
        {
            try
            {
                return new PostgresControlStore(trimmed, time);
            }
            catch (ArgumentException e)
            {
                throw new StoreUnavailableException(
                    $"The store location '{Redact(location)}' is not a valid PostgreSQL connection string: {e.Message.TrimEnd('.')}. {Forms}", e);
            }
        }

        throw new StoreUnavailableException($"The store location '{Redact(location)}' is neither a SQLite file nor a PostgreSQL connection string. {Forms}");
    }

    /// <summary>The location with any password replaced, so it can be shown in an error.</summary>
    private static string Redact(string location) => PasswordValue().Replace(location, "$1***");

    [GeneratedRegex(@"(?:^|;)\s*host\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostKey();

    [GeneratedRegex(@"((?:password|pwd)\s*=\s*)[^;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordValue();
}
