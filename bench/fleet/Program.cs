using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Bench;
using Cutover.Bench.Fleet;
using Microsoft.AspNetCore.Http;

// bench/fleet: REPLICAS `cutover serve` replicas on one PostgreSQL with MIGRATIONS migrations and
// FOLLOWERS applications following the event stream; CHANGES weight changes through the first
// replica, each timed until every replica routes by it and every follower holds it; the store's
// writes under light traffic; each replica's memory. Prints and writes the tables.
var options = Options.Parse(args);
var folder = Directory.CreateTempSubdirectory("cutover-bench-fleet-").FullName;
var log = (string text) => Console.WriteLine($"[bench/fleet {DateTime.UtcNow:HH:mm:ss}] {text}");
var exitCode = 1;

// Each side answers with its name, so a data-plane request tells which side it reached.
await using var legacy = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("legacy"));
await using var candidate = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("candidate"));
var migrations = new StringBuilder();
for (var i = 1; i <= options.Migrations; i++)
{
    var name = Traffic.Name(i);
    migrations.AppendLine(CultureInfo.InvariantCulture,
        $"  - {{ name: {name}, match: {{ pathPrefix: /{name} }}, legacy: {legacy.Url}, candidate: {candidate.Url}, mode: canary, weight: 10, stickyBy: header:X-User-Id }}");
}

var replicas = new List<Replica>();
var watches = new List<ReplicaWatch>();
var followers = new Followers();
Traffic? traffic = null;
try
{
    // Each follower holds one admin connection: past the default limit (256, which leaves some for
    // operators and other replicas), the replicas are started with room for theirs and 64 more.
    var perReplica = (options.Followers + options.Replicas - 1) / options.Replicas;
    int? adminConnections = perReplica + 64 > 256 ? perReplica + 64 : null;

    // One at a time: the first creates the schema and seeds the migrations, the others find them.
    for (var r = 0; r < options.Replicas; r++)
    {
        var started = Stopwatch.StartNew();
        replicas.Add(await Replica.StartAsync(r + 1, options.Cutover, options.Store, migrations.ToString(), folder, adminConnections));
        log($"replica {r + 1} ready in {started.Elapsed.TotalSeconds:0.0} s (pid {replicas[^1].Pid}, admin {replicas[^1].Admin})");
        if (options.Pids is { } pids)
        {
            await File.WriteAllLinesAsync(pids, replicas.Select(x => x.Pid.ToString(CultureInfo.InvariantCulture)));
        }
    }

    watches.AddRange(replicas.Select(r => new ReplicaWatch(r)));
    await Task.WhenAll(watches.Select(w => w.Snapshot)).WaitAsync(TimeSpan.FromSeconds(30));
    var bare = await MemoryAsync(replicas, folder);
    log($"replicas before followers: {string.Join(", ", bare.Select(m => m.Text))}");

    var following = Stopwatch.StartNew();
    await followers.StartAsync(options.Followers, replicas, perSecond: 200);
    log($"{options.Followers} followers started in {following.Elapsed.TotalSeconds:0.0} s (admin connection limit {(adminConnections is { } a ? a : "256, the default")})");
    var allFollowing = await followers.WaitAllFollowingAsync(options.Migrations, TimeSpan.FromSeconds(180), log);
    log($"{followers.Connected} of {options.Followers} followers connected and holding {options.Migrations} migrations after {following.Elapsed.TotalSeconds:0.0} s");
    if (!allFollowing)
    {
        throw new InvalidOperationException($"only {followers.Connected} of {options.Followers} followers had every migration within 180 s");
    }

    var withFollowers = await MemoryAsync(replicas, folder);
    log($"replicas with followers: {string.Join(", ", withFollowers.Select(m => m.Text))}");

    // Light traffic on every migration from here to the end; the writes are counted once every
    // migration has had requests through every replica, so each flush writes what it would in a
    // steady state.
    traffic = new Traffic(replicas, options.Migrations, options.Rate);
    var fill = TimeSpan.FromSeconds(Math.Max(12, options.Migrations * options.Replicas / (double)options.Rate));
    log($"traffic at {options.Rate} requests/s; counting the store's writes after {fill.TotalSeconds:0} s, for {options.Window} s");
    await Task.Delay(fill);
    var cpuBefore = replicas.Select(r => r.CpuSeconds()).ToList();
    var before = await StoreWrites.ReadAsync(options.Store);
    await Task.Delay(TimeSpan.FromSeconds(options.Window));
    var after = await StoreWrites.ReadAsync(options.Store);
    var cpu = replicas.Select((r, i) => (r.CpuSeconds() - cpuBefore[i]) / (after.At - before.At).TotalSeconds).ToList();
    var writes = after.Since(before);
    var seconds = (after.At - before.At).TotalSeconds;
    log($"store: {writes.Sum(w => w.Writes.Total) / seconds:0} rows written/s, {(after.Commits - before.Commits) / seconds:0} commits/s");
    var underTraffic = await MemoryAsync(replicas, folder);

    var changes = await ChangesAsync(options, replicas, watches, followers, traffic, log);
    var atEnd = await MemoryAsync(replicas, folder);
    var report = Report.Write(options, new Run(changes, writes, after.Commits - before.Commits, seconds, cpu,
        [bare, withFollowers, underTraffic, atEnd], followers.Reconnects, followers.Warnings.Counts, traffic.Sent, traffic.Failed));
    await ReportFile.ShowAsync(report, options.Out);

    exitCode = changes.All(c => c.Complete && c.SplitMoved != false) ? 0 : 1;
}
finally
{
    if (traffic is not null)
    {
        await traffic.DisposeAsync();
    }

    await followers.DisposeAsync();
    foreach (var watch in watches)
    {
        await watch.DisposeAsync();
    }

    foreach (var replica in replicas)
    {
        await replica.DisposeAsync();
    }

    if (exitCode == 0)
    {
        Directory.Delete(folder, recursive: true);
    }
    else
    {
        log($"replica logs kept in {folder}");
    }
}

return exitCode;

static async Task<List<ReplicaMemory>> MemoryAsync(List<Replica> replicas, string folder) =>
    [.. await Task.WhenAll(replicas.Select(async r => new ReplicaMemory(r.Index, r.ResidentBytes(), await GcHeap.ReadAsync(r.Pid, folder))))];

static async Task<List<Change>> ChangesAsync(Options options, List<Replica> replicas, List<ReplicaWatch> watches, Followers followers, Traffic traffic, Action<string> log)
{
    // Every migration starts at 10%; a change sends it to 90% or back, so a data-plane sample
    // shows plainly which side of the split it is on.
    var weights = new Dictionary<string, int>(StringComparer.Ordinal);
    var random = new Random(18);
    var tables = followers.Tables;
    var done = new List<Change>();
    using var admin = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    for (var k = 0; k < options.Changes; k++)
    {
        var name = Traffic.Name(random.Next(1, options.Migrations + 1));
        var weight = weights.GetValueOrDefault(name, 10) == 10 ? 90 : 10;
        weights[name] = weight;
        var t0 = Stopwatch.GetTimestamp();
        using var response = await admin.PostAsJsonAsync(new Uri(replicas[0].Admin, $"api/migrations/{name}/weight"), new { weight, reason = $"bench/fleet change {k + 1}", actor = "bench" });
        var stored = Stopwatch.GetElapsedTime(t0);
        response.EnsureSuccessStatusCode();
        var version = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();

        var replicaAt = new TimeSpan?[watches.Count];
        var followerAt = new TimeSpan?[tables.Count];
        var pending = Enumerable.Range(0, tables.Count).ToList();
        var deadline = TimeSpan.FromSeconds(10);
        while (Stopwatch.GetElapsedTime(t0) < deadline && (pending.Count > 0 || replicaAt.Any(a => a is null)))
        {
            for (var r = 0; r < watches.Count; r++)
            {
                replicaAt[r] ??= watches[r].SeenAt(name, version) is { } seen ? Stopwatch.GetElapsedTime(t0, seen) : null;
            }

            var now = Stopwatch.GetElapsedTime(t0);
            pending.RemoveAll(f =>
            {
                if (tables[f].Find(name) is { } setting && setting.Version >= version)
                {
                    followerAt[f] = now;
                    return true;
                }

                return false;
            });
            await Task.Delay(1);
        }

        // Every fifth change: 100 sticky users through each replica's data plane land on the side the new weight says.
        bool? moved = null;
        if (k % 5 == 0 && replicaAt.All(a => a is not null))
        {
            var shares = await Task.WhenAll(replicas.Select(r => traffic.CandidateShareAsync(r, name, 100)));
            moved = shares.All(s => weight == 90 ? s >= 75 : s <= 25);
        }

        var change = new Change(name, weight, version, stored, replicaAt, followerAt, moved);
        done.Add(change);
        log($"change {k + 1}: {name} -> {weight}% (v{version}) stored in {stored.TotalMilliseconds:0} ms, every replica {Ms(change.EveryReplica)}, every follower {Ms(change.EveryFollower)}{(moved is { } m ? $", split {(m ? "moved" : "NOT moved")} on every replica" : string.Empty)}");
        await Task.Delay(200 + random.Next(300));
    }

    return done;

    static string Ms(TimeSpan? t) => t is { } v ? $"{v.TotalMilliseconds:0} ms" : "never (10 s)";
}
