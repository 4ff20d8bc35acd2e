using System.Data.Common;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Core.Shadow;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Shadow;

namespace Cutover.Store.Sql;

/// <summary>
/// Shadow evidence (per endpoint and path counts, samples, noise): replicas add their
/// counts to the stored ones, so one report covers the fleet, and the samples kept per path are
/// trimmed to the newest.
/// </summary>
internal sealed class SqlShadowEvidence(SqlDatabase database)
{
    // Samples are stored as JSON text. Enums are written by name, as the kind column is, so the
    // rows stay readable in a database shell; escaping for HTML would only make bodies longer.
    private static readonly JsonSerializerOptions SampleJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly SqlDialect dialect = database.Dialect;

    /// <inheritdoc cref="IShadowEvidenceStore.RecordShadowAsync"/>
    public Task RecordShadowAsync(ShadowBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return Task.CompletedTask;
        }

        var upsertEndpoint = $"""
            INSERT INTO divergence_endpoints AS t (migration, endpoint, compared, divergent, first_seen, last_seen)
            VALUES (@migration, @endpoint, @compared, @divergent, @first_seen, @last_seen)
            ON CONFLICT (migration, endpoint) DO UPDATE SET
                compared = t.compared + excluded.compared,
                divergent = t.divergent + excluded.divergent,
                first_seen = {dialect.LeastFunction}(t.first_seen, excluded.first_seen),
                last_seen = {dialect.GreatestFunction}(t.last_seen, excluded.last_seen)
            """;
        var upsertPath = $"""
            INSERT INTO divergence_paths AS t (migration, endpoint, path, kind, count, first_seen, last_seen)
            VALUES (@migration, @endpoint, @path, @kind, @count, @first_seen, @last_seen)
            ON CONFLICT (migration, endpoint, path) DO UPDATE SET
                kind = CASE WHEN excluded.last_seen >= t.last_seen THEN excluded.kind ELSE t.kind END,
                count = t.count + excluded.count,
                first_seen = {dialect.LeastFunction}(t.first_seen, excluded.first_seen),
                last_seen = {dialect.GreatestFunction}(t.last_seen, excluded.last_seen)
            """;
        const string InsertSample = """
            INSERT INTO divergence_samples (migration, endpoint, path, time, sample)
            VALUES (@migration, @endpoint, @path, @time, @sample)
            """;
        const string TrimSamples = """
            DELETE FROM divergence_samples
            WHERE migration = @migration AND endpoint = @endpoint AND path = @path AND id NOT IN (
                SELECT id FROM divergence_samples
                WHERE migration = @migration AND endpoint = @endpoint AND path = @path
                ORDER BY id DESC LIMIT @keep)
            """;
        const string InsertNoise = """
            INSERT INTO noise (migration, endpoint, path, learned_at) VALUES (@migration, @endpoint, @path, @learned_at)
            ON CONFLICT (migration, endpoint, path) DO NOTHING
            """;

        var migration = ("migration", (object?)batch.Migration);
        return database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);

            // Rows are written in key order, so two replicas flushing the same endpoints at once lock
            // them in the same order and wait for each other instead of deadlocking on PostgreSQL.
            foreach (var endpoint in batch.Endpoints.OrderBy(e => e.Endpoint, StringComparer.Ordinal))
            {
                await connection.ExecuteAsync(
                    transaction,
                    upsertEndpoint,
                    ct,
                    migration,
                    ("endpoint", endpoint.Endpoint),
                    ("compared", endpoint.Compared),
                    ("divergent", endpoint.Divergent),
                    ("first_seen", dialect.ToDatabase(SqlDialect.ToMilliseconds(endpoint.FirstSeen))),
                    ("last_seen", dialect.ToDatabase(SqlDialect.ToMilliseconds(endpoint.LastSeen))));
                foreach (var path in endpoint.Paths.OrderBy(p => p.Path, StringComparer.Ordinal))
                {
                    await connection.ExecuteAsync(
                        transaction,
                        upsertPath,
                        ct,
                        migration,
                        ("endpoint", endpoint.Endpoint),
                        ("path", path.Path),
                        ("kind", path.Kind.ToString()),
                        ("count", path.Count),
                        ("first_seen", dialect.ToDatabase(SqlDialect.ToMilliseconds(path.FirstSeen))),
                        ("last_seen", dialect.ToDatabase(SqlDialect.ToMilliseconds(path.LastSeen))));
                }
            }

            foreach (var sample in batch.Samples)
            {
                var stored = sample with { Time = SqlDialect.ToMilliseconds(sample.Time) };
                await connection.ExecuteAsync(
                    transaction,
                    InsertSample,
                    ct,
                    migration,
                    ("endpoint", stored.Endpoint),
                    ("path", stored.Path),
                    ("time", dialect.ToDatabase(stored.Time)),
                    ("sample", JsonSerializer.Serialize(stored, SampleJson)));
            }

            var sampled = batch.Samples.Select(s => (s.Endpoint, s.Path)).Distinct()
                .OrderBy(s => s.Endpoint, StringComparer.Ordinal).ThenBy(s => s.Path, StringComparer.Ordinal);
            foreach (var (endpoint, path) in sampled)
            {
                await connection.ExecuteAsync(transaction, TrimSamples, ct, migration, ("endpoint", endpoint), ("path", path), ("keep", (long)DivergenceLimits.SamplesPerPath));
            }

            foreach (var noise in batch.Noise.OrderBy(n => n.Endpoint, StringComparer.Ordinal).ThenBy(n => n.Path, StringComparer.Ordinal))
            {
                await connection.ExecuteAsync(
                    transaction,
                    InsertNoise,
                    ct,
                    migration,
                    ("endpoint", noise.Endpoint),
                    ("path", noise.Path),
                    ("learned_at", dialect.ToDatabase(SqlDialect.ToMilliseconds(noise.LearnedAt))));
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc cref="IShadowEvidenceStore.GetDivergencesAsync"/>
    public Task<DivergenceReport> GetDivergencesAsync(string migration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migration);

        // Sorted here rather than in SQL so text orders the same (ordinally) whatever collation the database has.
        return database.RunAsync(async (connection, ct) =>
        {
            var endpoints = await connection.QueryAsync(
                "SELECT endpoint, compared, divergent, first_seen, last_seen FROM divergence_endpoints WHERE migration = @migration",
                r => new EndpointDivergence(r.GetString(0), r.GetInt64(1), r.GetInt64(2), dialect.ReadTime(r, 3), dialect.ReadTime(r, 4), [], [], []),
                ct,
                ("migration", migration));
            if (endpoints.Count == 0)
            {
                return new DivergenceReport(migration, []);
            }

            var paths = (await connection.QueryAsync(
                "SELECT endpoint, path, kind, count, first_seen, last_seen FROM divergence_paths WHERE migration = @migration",
                r => (Endpoint: r.GetString(0), Tally: new PathTally(r.GetString(1), ReadKind(r, 2), r.GetInt64(3), dialect.ReadTime(r, 4), dialect.ReadTime(r, 5))),
                ct,
                ("migration", migration))).ToLookup(p => p.Endpoint, p => p.Tally, StringComparer.Ordinal);
            var noise = (await ReadNoiseAsync(connection, migration, ct)).ToLookup(n => n.Endpoint, StringComparer.Ordinal);
            var samples = (await connection.QueryAsync(
                "SELECT endpoint, id, path, time FROM divergence_samples WHERE migration = @migration ORDER BY id DESC",
                r => (Endpoint: r.GetString(0), Reference: new SampleReference(r.GetInt64(1), r.GetString(2), dialect.ReadTime(r, 3))),
                ct,
                ("migration", migration))).ToLookup(s => s.Endpoint, s => s.Reference, StringComparer.Ordinal);

            var report = endpoints
                .Select(e => e with
                {
                    Paths = [.. paths[e.Endpoint].OrderByDescending(p => p.Count).ThenBy(p => p.Path, StringComparer.Ordinal)],
                    Noise = [.. noise[e.Endpoint]],
                    Samples = [.. samples[e.Endpoint]],
                })
                .OrderByDescending(e => e.Divergent)
                .ThenBy(e => e.Endpoint, StringComparer.Ordinal);
            return new DivergenceReport(migration, [.. report]);
        }, cancellationToken);
    }

    /// <inheritdoc cref="IShadowEvidenceStore.GetSampleAsync"/>
    public Task<DivergenceSample?> GetSampleAsync(string migration, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return database.RunAsync(async (connection, ct) =>
        {
            var json = await connection.QueryAsync(
                "SELECT sample FROM divergence_samples WHERE migration = @migration AND id = @id",
                r => r.GetString(0),
                ct,
                ("migration", migration),
                ("id", id));
            return json.Count == 0 ? null : ReadSample(json[0], id);
        }, cancellationToken);
    }

    /// <inheritdoc cref="IShadowEvidenceStore.GetNoiseAsync"/>
    public Task<IReadOnlyList<NoiseEntry>> GetNoiseAsync(string migration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return database.RunAsync((connection, ct) => ReadNoiseAsync(connection, migration, ct), cancellationToken);
    }

    /// <summary>A migration's noise, ordered by endpoint and path.</summary>
    private async Task<IReadOnlyList<NoiseEntry>> ReadNoiseAsync(DbConnection connection, string migration, CancellationToken cancellationToken)
    {
        var noise = await connection.QueryAsync(
            "SELECT endpoint, path, learned_at FROM noise WHERE migration = @migration",
            r => new NoiseEntry(r.GetString(0), r.GetString(1), dialect.ReadTime(r, 2)),
            cancellationToken,
            ("migration", migration));
        return [.. noise.OrderBy(n => n.Endpoint, StringComparer.Ordinal).ThenBy(n => n.Path, StringComparer.Ordinal)];
    }

    private DifferenceKind ReadKind(DbDataReader reader, int ordinal)
    {
        var text = reader.GetString(ordinal);
        return Enum.TryParse<DifferenceKind>(text, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new InvalidDataException(
                $"The store {database.Description} holds difference kind '{text}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
    }

    /// <summary>A stored sample; its id is the row's, which the JSON cannot know when it is written.</summary>
    private DivergenceSample ReadSample(string json, long id) =>
        (JsonSerializer.Deserialize<DivergenceSample>(json, SampleJson)
            ?? throw new InvalidDataException($"The store {database.Description} holds an empty sample with id {id}."))
        with { Id = id };
}
