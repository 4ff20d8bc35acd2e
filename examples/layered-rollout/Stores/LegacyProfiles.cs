using System.Globalization;

namespace LayeredRollout.Stores;

/// <summary>
/// The legacy table, <c>profiles(id, first_name, last_name, email, updated_at)</c>: a name in two
/// columns, and <c>updated_at</c>, a version every write raises above every other row's (which the
/// backfill's catch-up passes follow to copy the rows changed since) and at least to the time of
/// the write in Unix milliseconds, the clock the new table's versions follow too: so the backfill's
/// <c>keepNewer</c> can tell which of a legacy row and a new-table row was written last.
/// </summary>
public sealed class LegacyProfiles(string path) : IProfileStore
{
    /// <summary>How many profiles a new legacy table starts with, users 1 to this.</summary>
    public const int Seeded = 600;

    private static readonly string[] First = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Ken"];
    private static readonly string[] Last = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Perlman", "Thompson"];

    /// <inheritdoc/>
    public string Name => "legacy";

    /// <summary>Creates the table, and seeds <see cref="Seeded"/> profiles when it has none.</summary>
    public async Task InitializeAsync()
    {
        await using var connection = await Sqlite.OpenAsync(path);
        await Sqlite.ExecuteAsync(connection, "PRAGMA journal_mode = WAL");
        await Sqlite.ExecuteAsync(connection,
            "CREATE TABLE IF NOT EXISTS profiles (id INTEGER PRIMARY KEY NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL, updated_at INTEGER NOT NULL)");
        await using var transaction = connection.BeginTransaction();
        for (var id = 1; id <= Seeded; id++)
        {
            var (first, last) = (First[id % First.Length], Last[id / First.Length % Last.Length]);
            await Sqlite.ExecuteAsync(connection,
                "INSERT OR IGNORE INTO profiles (id, first_name, last_name, email, updated_at) VALUES ($id, $first, $last, $email, $id)",
                ("$id", id), ("$first", first), ("$last", last), ("$email", string.Create(CultureInfo.InvariantCulture, $"{first}.{last}.{id}@example.com").ToLowerInvariant()));
        }

        await transaction.CommitAsync();
    }

    /// <inheritdoc/>
    public async Task<Profile?> FindAsync(long id)
    {
        await using var connection = await Sqlite.OpenAsync(path);
        await using var command = Sqlite.Command(connection, "SELECT trim(first_name || ' ' || last_name), email FROM profiles WHERE id = $id", ("$id", id));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new Profile(id, reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <inheritdoc/>
    public async Task<bool> SaveAsync(Profile profile)
    {
        var space = profile.Name.IndexOf(' ', StringComparison.Ordinal);
        var (first, last) = space < 0 ? (profile.Name, string.Empty) : (profile.Name[..space], profile.Name[(space + 1)..]);
        await using var connection = await Sqlite.OpenAsync(path);
        return await Sqlite.ExecuteAsync(connection,
            "UPDATE profiles SET first_name = $first, last_name = $last, email = $email, updated_at = max((SELECT max(updated_at) + 1 FROM profiles), $now) WHERE id = $id",
            ("$id", profile.Id), ("$first", first), ("$last", last), ("$email", profile.Email), ("$now", TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds())) == 1;
    }

    /// <inheritdoc/>
    public async Task<long> CountAsync()
    {
        await using var connection = await Sqlite.OpenAsync(path);
        await using var command = Sqlite.Command(connection, "SELECT count(*) FROM profiles");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
