namespace LayeredRollout.Stores;

/// <summary>
/// The candidate's new table, <c>user_profiles(user_id, display_name, email_address, version)</c>:
/// one display name, other column names. It starts empty; the plan's backfill step fills it from
/// the legacy table, and from the point of no return the candidate reads and writes it. A write
/// raises the row's <c>version</c> to the time in Unix milliseconds (or by one, if that is not
/// more), the clock of legacy's <c>updated_at</c>: a legacy row the catch-up copies later but
/// written earlier has a smaller version, and the job's <c>keepNewer: version</c> keeps this row.
/// </summary>
public sealed class NewProfiles(string path) : IProfileStore
{
    /// <inheritdoc/>
    public string Name => "new";

    /// <summary>Creates the (empty) table.</summary>
    public async Task InitializeAsync()
    {
        await using var connection = await Sqlite.OpenAsync(path);
        await Sqlite.ExecuteAsync(connection, "PRAGMA journal_mode = WAL");
        await Sqlite.ExecuteAsync(connection,
            "CREATE TABLE IF NOT EXISTS user_profiles (user_id INTEGER PRIMARY KEY NOT NULL, display_name TEXT NOT NULL, email_address TEXT NOT NULL, version INTEGER NOT NULL)");
    }

    /// <inheritdoc/>
    public async Task<Profile?> FindAsync(long id)
    {
        await using var connection = await Sqlite.OpenAsync(path);
        await using var command = Sqlite.Command(connection, "SELECT display_name, email_address FROM user_profiles WHERE user_id = $id", ("$id", id));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new Profile(id, reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <inheritdoc/>
    public async Task<bool> SaveAsync(Profile profile)
    {
        await using var connection = await Sqlite.OpenAsync(path);
        return await Sqlite.ExecuteAsync(connection,
            "UPDATE user_profiles SET display_name = $name, email_address = $email, version = max(version + 1, $now) WHERE user_id = $id",
            ("$id", profile.Id), ("$name", profile.Name), ("$email", profile.Email), ("$now", TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds())) == 1;
    }

    /// <inheritdoc/>
    public async Task<long> CountAsync()
    {
        await using var connection = await Sqlite.OpenAsync(path);
        await using var command = Sqlite.Command(connection, "SELECT count(*) FROM user_profiles");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
