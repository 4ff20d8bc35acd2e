namespace Cutover.Backfill.Targets;

/// <summary>
/// Writes a batch of mapped rows into the target as idempotent upserts in one transaction: the
/// batch is either all written or not at all, and writing it twice leaves what writing it once
/// does. The engine's crash safety rests on exactly that. A PostgreSQL binary COPY writer (into a
/// staging table, then one INSERT … ON CONFLICT) can replace the row-by-row upsert behind it.
/// </summary>
public interface IBatchTarget : IAsyncDisposable
{
    /// <summary>Upserts <paramref name="rows"/> (mapped values in the job's column order) and commits.</summary>
    Task WriteAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken);
}
