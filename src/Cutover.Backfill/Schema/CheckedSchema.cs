using Cutover.Backfill.Databases;

namespace Cutover.Backfill.Schema;

/// <summary>What the schema check learnt and the batches need: the source's FROM (null for a query) and the target table with its columns in the job's column order.</summary>
internal sealed record CheckedSchema(string? SourceFrom, TableShape Target, IReadOnlyList<TableColumn> TargetColumns);
