namespace Cutover.Backfill.Sources;

/// <summary>
/// Reads a job's mapped rows in key order, one batch at a time, so memory holds one batch
/// whatever the table's size. The keyset reader does it with SELECT; a PostgreSQL binary COPY
/// reader can replace it without the engine changing.
/// </summary>
public interface IBatchSource : IAsyncDisposable
{
    /// <summary>How many rows the source has in all, for progress and its estimate of the time left.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> rows whose key is greater than <paramref name="after"/>
    /// (all rows from the first when null), in key order; each row holds the mapped values in the
    /// job's column order. Fewer than <paramref name="limit"/> rows means the source is done.
    /// </summary>
    Task<IReadOnlyList<object?[]>> ReadAsync(IReadOnlyList<object?>? after, int limit, CancellationToken cancellationToken);
}
