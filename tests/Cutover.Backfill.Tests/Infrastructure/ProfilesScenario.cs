using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Store;
using Cutover.Store.Opening;
using Microsoft.Data.Sqlite;

namespace Cutover.Backfill.Tests.Infrastructure;

/// <summary>
/// The world of a job that keeps the newer target row: a source <c>profiles(id, name, updated_at)</c>
/// and a target <c>user_profiles(user_id, display_name, version)</c> that another writer (the new
/// application) may also change, versions being nullable numbers on both sides, and a control store.
/// </summary>
public sealed class ProfilesScenario : IAsyncDisposable
{
    private readonly string _folder;

    private ProfilesScenario(TestDatabase source, TestDatabase target, string folder)
    {
        Source = source;
        Target = target;
        _folder = folder;
        StoreLocation = "sqlite:" + Path.Combine(folder, "cutover.db");
        Store = ControlStoreFactory.CreateBackfillStore(StoreLocation, TimeProvider.System);
    }

    public TestDatabase Source { get; }

    public TestDatabase Target { get; }

    public string StoreLocation { get; }

    public IBackfillStore Store { get; }

    /// <summary>Both tables, the source with <paramref name="rows"/> ("id, 'name', updated_at" each).</summary>
    public static async Task<ProfilesScenario> CreateAsync(string sourceEngine, string targetEngine, params string[] rows)
    {
        var scenario = new ProfilesScenario(
            await TestDatabase.CreateAsync(sourceEngine), await TestDatabase.CreateAsync(targetEngine), Directory.CreateTempSubdirectory("cutover-backfill-store-").FullName);
        await scenario.Source.ExecuteAsync(
            "CREATE TABLE profiles (id INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, updated_at INTEGER)",
            "CREATE TABLE profiles (id bigint PRIMARY KEY, name text NOT NULL, updated_at bigint)");
        await scenario.Source.ExecuteAsync($"INSERT INTO profiles (id, name, updated_at) VALUES ({string.Join("), (", rows)})");
        await scenario.Target.ExecuteAsync(
            "CREATE TABLE user_profiles (user_id INTEGER PRIMARY KEY NOT NULL, display_name TEXT NOT NULL, version INTEGER)",
            "CREATE TABLE user_profiles (user_id bigint PRIMARY KEY, display_name text NOT NULL, version bigint)");
        return scenario;
    }

    /// <summary>The job, with <c>onConflict: { keepNewer: version }</c> unless <paramref name="keepNewer"/> is false.</summary>
    public BackfillJob Job(bool keepNewer = true, int batchSize = 2) => BackfillJobFile.Parse($"""
        name: profiles
        source: {"{"} store: "{Source.Location}", table: profiles, key: [id] {"}"}
        target: {"{"} store: "{Target.Location}", table: user_profiles {"}"}
        columns: {"{"} user_id: id, display_name: name, version: updated_at {"}"}
        changeColumn: updated_at
        catchUp: {"{"} margin: 0s {"}"}
        batchSize: {batchSize}
        {(keepNewer ? "onConflict: { keepNewer: version }" : string.Empty)}
        """, "job.yaml");

    public BackfillRunner Runner() => new(Store, TimeProvider.System);

    /// <summary>The target's rows as "user_id|display_name|version", in key order.</summary>
    public Task<List<string>> TargetRowsAsync() => Target.RowsAsync("SELECT user_id, display_name, version FROM user_profiles ORDER BY user_id");

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Source.DisposeAsync();
        await Target.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
