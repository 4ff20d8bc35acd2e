namespace Cutover.Store.Schema;

/// <summary>
/// One step of the store's schema history, written once for each database engine so the two
/// can never disagree on what a version number means. Steps are never edited after release:
/// a change to the schema is a new step.
/// </summary>
/// <param name="Version">The schema version the store is at once this step is applied; steps are numbered 1, 2, 3…</param>
/// <param name="Description">What the step does, recorded in <c>schema_version</c>.</param>
/// <param name="Sqlite">The step's SQL for SQLite.</param>
/// <param name="Postgres">The step's SQL for PostgreSQL.</param>
internal sealed record SchemaStep(int Version, string Description, string Sqlite, string Postgres);
