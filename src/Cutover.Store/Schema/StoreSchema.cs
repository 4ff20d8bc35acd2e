namespace Cutover.Store.Schema;

/// <summary>
/// The store's schema: the <c>schema_version</c> table that records which steps a database has,
/// and the ordered steps that bring an empty database to <see cref="CurrentVersion"/>.
/// </summary>
internal static class StoreSchema
{
    /// <summary>The <c>schema_version</c> table on SQLite; times are ISO-8601 UTC text like every time in the SQLite store.</summary>
    public const string SqliteVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY NOT NULL,
            description TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """;

    /// <summary>The <c>schema_version</c> table on PostgreSQL.</summary>
    public const string PostgresVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version bigint PRIMARY KEY,
            description text NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """;

    /// <summary>Every step, in version order.</summary>
    public static IReadOnlyList<SchemaStep> Steps { get; } =
    [
        new(
            1,
            "migration states and the audit log",
            """
            CREATE TABLE migrations (
                name TEXT PRIMARY KEY NOT NULL,
                mode TEXT NOT NULL,
                weight REAL NOT NULL,
                version INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                time TEXT NOT NULL,
                migration TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                before TEXT NOT NULL,
                after TEXT NOT NULL,
                reason TEXT NOT NULL
            );
            CREATE INDEX audit_by_migration ON audit (migration, id);
            """,
            """
            CREATE TABLE migrations (
                name text PRIMARY KEY,
                mode text NOT NULL,
                weight double precision NOT NULL,
                version bigint NOT NULL,
                updated_at timestamptz NOT NULL
            );
            CREATE TABLE audit (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                time timestamptz NOT NULL,
                migration text NOT NULL,
                actor text NOT NULL,
                action text NOT NULL,
                before text NOT NULL,
                after text NOT NULL,
                reason text NOT NULL
            );
            CREATE INDEX audit_by_migration ON audit (migration, id);
            """),
        new(
            2,
            "shadow evidence: divergence counts, samples and learned noise",
            """
            CREATE TABLE divergence_endpoints (
                migration TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                compared INTEGER NOT NULL,
                divergent INTEGER NOT NULL,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                PRIMARY KEY (migration, endpoint)
            );
            CREATE TABLE divergence_paths (
                migration TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                path TEXT NOT NULL,
                kind TEXT NOT NULL,
                count INTEGER NOT NULL,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                PRIMARY KEY (migration, endpoint, path)
            );
            CREATE TABLE divergence_samples (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                migration TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                path TEXT NOT NULL,
                time TEXT NOT NULL,
                sample TEXT NOT NULL
            );
            CREATE INDEX divergence_samples_by_path ON divergence_samples (migration, endpoint, path, id);
            CREATE TABLE noise (
                migration TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                path TEXT NOT NULL,
                learned_at TEXT NOT NULL,
                PRIMARY KEY (migration, endpoint, path)
            );
            """,
            """
            CREATE TABLE divergence_endpoints (
                migration text NOT NULL,
                endpoint text NOT NULL,
                compared bigint NOT NULL,
                divergent bigint NOT NULL,
                first_seen timestamptz NOT NULL,
                last_seen timestamptz NOT NULL,
                PRIMARY KEY (migration, endpoint)
            );
            CREATE TABLE divergence_paths (
                migration text NOT NULL,
                endpoint text NOT NULL,
                path text NOT NULL,
                kind text NOT NULL,
                count bigint NOT NULL,
                first_seen timestamptz NOT NULL,
                last_seen timestamptz NOT NULL,
                PRIMARY KEY (migration, endpoint, path)
            );
            CREATE TABLE divergence_samples (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                migration text NOT NULL,
                endpoint text NOT NULL,
                path text NOT NULL,
                time timestamptz NOT NULL,
                sample text NOT NULL
            );
            CREATE INDEX divergence_samples_by_path ON divergence_samples (migration, endpoint, path, id);
            CREATE TABLE noise (
                migration text NOT NULL,
                endpoint text NOT NULL,
                path text NOT NULL,
                learned_at timestamptz NOT NULL,
                PRIMARY KEY (migration, endpoint, path)
            );
            """),
        new(
            3,
            "plan progress, and the evidence behind each audited decision",
            """
            CREATE TABLE rollouts (
                migration TEXT PRIMARY KEY NOT NULL,
                status TEXT NOT NULL,
                step INTEGER NOT NULL,
                step_started_at TEXT NOT NULL,
                window_start TEXT NOT NULL,
                baked_ms INTEGER NOT NULL,
                note TEXT NOT NULL
            );
            ALTER TABLE audit ADD COLUMN evidence TEXT;
            CREATE INDEX audit_by_action ON audit (migration, action, id);
            """,
            """
            CREATE TABLE rollouts (
                migration text PRIMARY KEY,
                status text NOT NULL,
                step bigint NOT NULL,
                step_started_at timestamptz NOT NULL,
                window_start timestamptz NOT NULL,
                baked_ms bigint NOT NULL,
                note text NOT NULL
            );
            ALTER TABLE audit ADD COLUMN evidence text;
            CREATE INDEX audit_by_action ON audit (migration, action, id);
            """),
        new(
            4,
            "each replica's 10-second metric buckets, and the orchestrator's lease",
            """
            CREATE TABLE metric_buckets (
                migration TEXT NOT NULL,
                bucket_start INTEGER NOT NULL,
                replica TEXT NOT NULL,
                legacy_requests INTEGER NOT NULL,
                legacy_errors INTEGER NOT NULL,
                legacy_latency BLOB NOT NULL,
                candidate_requests INTEGER NOT NULL,
                candidate_errors INTEGER NOT NULL,
                candidate_latency BLOB NOT NULL,
                compared INTEGER NOT NULL,
                divergent INTEGER NOT NULL,
                PRIMARY KEY (migration, bucket_start, replica)
            );
            CREATE INDEX metric_buckets_by_start ON metric_buckets (bucket_start);
            CREATE TABLE leases (
                name TEXT PRIMARY KEY NOT NULL,
                holder TEXT NOT NULL,
                expires_at TEXT NOT NULL
            );
            """,
            """
            CREATE TABLE metric_buckets (
                migration text NOT NULL,
                bucket_start bigint NOT NULL,
                replica text NOT NULL,
                legacy_requests bigint NOT NULL,
                legacy_errors bigint NOT NULL,
                legacy_latency bytea NOT NULL,
                candidate_requests bigint NOT NULL,
                candidate_errors bigint NOT NULL,
                candidate_latency bytea NOT NULL,
                compared bigint NOT NULL,
                divergent bigint NOT NULL,
                PRIMARY KEY (migration, bucket_start, replica)
            );
            CREATE INDEX metric_buckets_by_start ON metric_buckets (bucket_start);
            CREATE TABLE leases (
                name text PRIMARY KEY,
                holder text NOT NULL,
                expires_at timestamptz NOT NULL
            );
            """),
        new(
            5,
            "plans applied at run time (cutover apply -f), which win over the file's",
            """
            ALTER TABLE migrations ADD COLUMN plan_applied INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE migrations ADD COLUMN plan TEXT;
            """,
            """
            ALTER TABLE migrations ADD COLUMN plan_applied boolean NOT NULL DEFAULT false;
            ALTER TABLE migrations ADD COLUMN plan text;
            """),
        new(
            6,
            "backfill jobs: each job's definition and checkpoint",
            """
            CREATE TABLE backfill_jobs (
                name TEXT PRIMARY KEY NOT NULL,
                definition TEXT NOT NULL,
                status TEXT NOT NULL,
                last_key TEXT,
                rows_copied INTEGER NOT NULL,
                checksum TEXT NOT NULL,
                started_at TEXT NOT NULL,
                run_started_at TEXT NOT NULL,
                run_start_rows INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                last_error TEXT
            );
            """,
            """
            CREATE TABLE backfill_jobs (
                name text PRIMARY KEY,
                definition text NOT NULL,
                status text NOT NULL,
                last_key text,
                rows_copied bigint NOT NULL,
                checksum text NOT NULL,
                started_at timestamptz NOT NULL,
                run_started_at timestamptz NOT NULL,
                run_start_rows bigint NOT NULL,
                updated_at timestamptz NOT NULL,
                last_error text
            );
            """),
        new(
            7,
            "backfill jobs: where the target's backup is, and the catch-up high-water mark",
            """
            ALTER TABLE backfill_jobs ADD COLUMN backup TEXT;
            ALTER TABLE backfill_jobs ADD COLUMN high_water TEXT;
            """,
            """
            ALTER TABLE backfill_jobs ADD COLUMN backup text;
            ALTER TABLE backfill_jobs ADD COLUMN high_water text;
            """),
        new(
            8,
            "backfill jobs: the rows skipped under onError: skip",
            "ALTER TABLE backfill_jobs ADD COLUMN skipped TEXT;",
            "ALTER TABLE backfill_jobs ADD COLUMN skipped text;"),
        new(
            9,
            "backfill jobs: what holds a running job back (its backoff), for status from another process",
            "ALTER TABLE backfill_jobs ADD COLUMN throttle TEXT;",
            "ALTER TABLE backfill_jobs ADD COLUMN throttle text;"),
        new(
            10,
            "backfill jobs: the key ranges of a split job, each with its claim and checkpoint",
            """
            CREATE TABLE backfill_ranges (
                job TEXT NOT NULL,
                ordinal INTEGER NOT NULL,
                after_key TEXT,
                up_to TEXT,
                status TEXT NOT NULL,
                holder TEXT,
                expires_at TEXT,
                last_key TEXT,
                rows_copied INTEGER NOT NULL,
                checksum TEXT NOT NULL,
                skipped TEXT,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (job, ordinal)
            );
            """,
            """
            CREATE TABLE backfill_ranges (
                job text NOT NULL,
                ordinal integer NOT NULL,
                after_key text,
                up_to text,
                status text NOT NULL,
                holder text,
                expires_at timestamptz,
                last_key text,
                rows_copied bigint NOT NULL,
                checksum text NOT NULL,
                skipped text,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (job, ordinal)
            );
            """),
        new(
            11,
            "admin API tokens (keyed hashes only) and the secret they are hashed under",
            """
            CREATE TABLE tokens (
                name TEXT PRIMARY KEY NOT NULL,
                role TEXT NOT NULL,
                prefix TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL,
                expires_at TEXT,
                migrations TEXT,
                created_by TEXT NOT NULL
            );
            CREATE TABLE store_secrets (
                name TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            );
            """,
            """
            CREATE TABLE tokens (
                name text PRIMARY KEY,
                role text NOT NULL,
                prefix text NOT NULL,
                hash text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL,
                expires_at timestamptz,
                migrations text,
                created_by text NOT NULL
            );
            CREATE TABLE store_secrets (
                name text PRIMARY KEY,
                value text NOT NULL
            );
            """),
        new(
            12,
            "metrics buckets: the candidate's failures answered by legacy (failover)",
            "ALTER TABLE metric_buckets ADD COLUMN rescued INTEGER NOT NULL DEFAULT 0;",
            "ALTER TABLE metric_buckets ADD COLUMN rescued bigint NOT NULL DEFAULT 0;"),
        new(
            13,
            "backfill jobs: the source's rows counted at the run's start, and the latest verify's result",
            """
            ALTER TABLE backfill_jobs ADD COLUMN source_rows INTEGER;
            ALTER TABLE backfill_jobs ADD COLUMN last_verify TEXT;
            """,
            """
            ALTER TABLE backfill_jobs ADD COLUMN source_rows bigint;
            ALTER TABLE backfill_jobs ADD COLUMN last_verify text;
            """),
        new(
            14,
            "rollouts: since when each trigger of the current step has held, for every replica to show",
            "ALTER TABLE rollouts ADD COLUMN trigger_holds TEXT;",
            "ALTER TABLE rollouts ADD COLUMN trigger_holds text;"),
    ];

    /// <summary>The version this build brings a database to; a database at a higher version was written by a newer build.</summary>
    public static int CurrentVersion => Steps[^1].Version;
}
