using Cutover.Backfill.Jobs;
using Cutover.Backfill.Transforms;

namespace Cutover.Backfill.Copying;

/// <summary>Applies a job's <see cref="IRowTransform"/> (if any) to a batch, splitting it into the rows to write and the rows rejected.</summary>
internal sealed class BatchTransform(BackfillJob job, IRowTransform? transform)
{
    private readonly IReadOnlyList<string> _columns = [.. job.Columns.Select(c => c.Target)];

    /// <summary>Whether every row is kept as it was read (there is no transform), so a batch can be copied without reading its values.</summary>
    public bool PassesThrough => transform is null;

    /// <summary>The rows kept (changed in place) and the rejected ones, in batch order.</summary>
    public (List<object?[]> Kept, List<RowRejection> Rejected) Apply(IReadOnlyList<object?[]> rows)
    {
        if (transform is null)
        {
            return ([.. rows], []);
        }

        var kept = new List<object?[]>(rows.Count);
        var rejected = new List<RowRejection>();
        foreach (var values in rows)
        {
            var row = new MappedRow(_columns, job.KeyColumns, values);
            string? reason;
            try
            {
                reason = transform.Transform(row).Rejection;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                reason = $"{transform.GetType().Name} threw {e.GetType().Name}: {e.Message.TrimEnd('.')}";
            }

            if (reason is null)
            {
                kept.Add(values);
            }
            else
            {
                rejected.Add(new RowRejection(row.Key, reason));
            }
        }

        return (kept, rejected);
    }
}
