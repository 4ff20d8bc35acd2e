using System.Text.RegularExpressions;

namespace Cutover.Core.Configuration;

/// <summary>
/// The two forms a store location takes, decided in one place so that <c>validate</c> accepts
/// exactly what <c>serve</c> can open.
/// </summary>
public static partial class StoreLocation
{
    /// <summary>The prefix of a SQLite location.</summary>
    public const string SqlitePrefix = "sqlite:";

    /// <summary>The accepted forms, for error messages.</summary>
    public const string AllowedForms =
        "use sqlite:PATH for a SQLite file (e.g. sqlite:cutover.db, relative to the current folder) " +
        "or a PostgreSQL connection string (e.g. Host=127.0.0.1;Port=5432;Username=cutover;Password=...;Database=cutover)";

    /// <summary>Which store a location names, or null when it is neither form.</summary>
    public static StoreKind? Classify(string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            return null;
        }

        var trimmed = location.Trim();
        if (trimmed.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return IsFilePath(SqlitePath(trimmed)) ? StoreKind.Sqlite : null;
        }

        return HostKey().IsMatch(trimmed) ? StoreKind.Postgres : null;
    }

    /// <summary>The file path of a SQLite location (after the prefix).</summary>
    public static string SqlitePath(string location) => location.Trim()[SqlitePrefix.Length..].Trim();

    /// <summary>Why a location is not a store, for error messages.</summary>
    public static string Problem(string location) =>
        location.Trim().StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase)
            ? $"'{location}' names no SQLite file, and the store must outlive the process; {AllowedForms}"
            : $"'{location}' is not a store; {AllowedForms}";

    /// <summary>The location with any password replaced, so it can be shown in an error or a status.</summary>
    public static string Redact(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return PasswordValue().Replace(location, "$1***");
    }

    private static bool IsFilePath(string path) => path.Length > 0 && !path.Equals(":memory:", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"(?:^|;)\s*host\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostKey();

    [GeneratedRegex(@"((?:password|pwd)\s*=\s*)[^;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordValue();
}
