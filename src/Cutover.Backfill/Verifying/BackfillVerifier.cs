using System.Data.Common;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Leases;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Targets;
using Cutover.Backfill.Transforms;
using Cutover.Store;

namespace Cutover.Backfill.Verifying;

/// <summary>
/// Proves a backfill's result: walks the key space in ranges of <c>chunkSize</c> source keys,
/// reads each range on both sides (the source through the copy's own SELECT, the target's mapped
/// columns), and compares counts and checksums of the rows in the target's form; a range that
/// differs is narrowed to the keys missing, extra or different. With repair, such a range's source
/// rows are upserted again as the copy writes them (and, with the job's <c>deletes: apply</c>, its
/// extra target rows deleted) and the range compared once more. With the job's
/// <c>onConflict.keepNewer</c>, a target row newer than the source's is counted ahead rather than
/// different, and the repair's upsert leaves it (it replaces rows only as new or older). The result is kept with the job
/// (<see cref="VerifyResult"/>), so <c>status</c> and the dashboard show the latest one.
/// </summary>
/// <remarks>
/// One range of each side is in memory at a time, so memory stays flat whatever the table's size.
/// Target rows above the source's last key are read in ranges of the same size: all of them are
/// extra. Unless the job says <c>deletes: apply</c>, repair never deletes: an extra row may have been
/// written by the new application, so it is reported and left for the operator.
/// </remarks>
public sealed class BackfillVerifier(IBackfillStore store, TimeProvider time)
{
    /// <summary>Keys per compared range unless told otherwise.</summary>
    public const int DefaultChunkSize = 10_000;

    /// <summary>The largest range allowed; a range's rows are in memory at once.</summary>
    public const int MaxChunkSize = 1_000_000;

    /// <summary>How many differing ranges, and rows in all, a report lists unless told otherwise; the counts are always complete.</summary>
    public const int DefaultListLimit = 100;

    /// <summary>
    /// A transform used instead of the job file's, as <see cref="Running.BackfillRunner.Transform"/> is for
    /// the copy: the source rows are transformed before they are compared, and rows it rejects are
    /// not expected in the target. Null, the default, uses the job file's.
    /// </summary>
    public IRowTransform? Transform { get; init; }

    /// <summary>
    /// Verifies the job called <paramref name="name"/> with the definition stored when it was
    /// started, holding the job's lease so no run changes the target meanwhile.
    /// </summary>
    public Task<VerifyReport> VerifyAsync(string name, bool repair, int chunkSize = DefaultChunkSize, int listLimit = DefaultListLimit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, MaxChunkSize);
        ArgumentOutOfRangeException.ThrowIfNegative(listLimit);
        var lease = new JobLease(store, time, name);
        return lease.HoldAsync(async ct =>
        {
            var record = await store.GetBackfillAsync(name, ct)
                ?? throw new BackfillRefusedException($"There is no backfill job '{name}' in {store.Description}; start it with `cutover backfill run -f JOB.yaml` (check --store or CUTOVER_STORE if it ran elsewhere).");
            var job = BackfillJobFile.Parse(record.Definition, $"(the definition of '{name}' stored in {store.Description})");
            var tally = new VerifyTally(name, record.Status, chunkSize, repair, job.Deletes, listLimit);
            try
            {
                await CompareAsync(job, lease, tally, repair, chunkSize, ct);
            }
            catch (DbException e)
            {
                throw new BackfillFailedException($"Verifying backfill job '{name}' failed: {e.Message.TrimEnd('.')}. Check both databases and run `cutover backfill verify {name}` again.", e);
            }

            var report = tally.Report();
            await store.SaveBackfillVerifyAsync(name, VerifyResult.Of(report, StoreTime.Now(time)).Encode(), ct);
            return report;
        }, cancellationToken);
    }

    private async Task CompareAsync(BackfillJob job, JobLease lease, VerifyTally tally, bool repair, int chunkSize, CancellationToken cancellationToken)
    {
        await using var databases = await JobDatabases.OpenAsync(job, cancellationToken);
        var schema = databases.Schema;
        await using IBatchSource source = new KeysetSource(databases.SourceConnection, job, schema.SourceFrom);
        await using IBatchTarget? writer = repair
            ? new UpsertTarget(await databases.Target.OpenAsync("target", cancellationToken), databases.Target, job, schema.Target, schema.TargetColumns, replaceEqual: true)
            : null;
        var form = new TargetForm(databases.Target, schema.TargetColumns, job.KeyColumns);
        var target = new TargetRange(databases.TargetConnection, databases.Target, schema.Target.SqlName, form, job.KeyColumns);
        var applyDeletes = repair && job.Deletes == DeletePolicy.Apply;

        var transform = new BatchTransform(job, Transform ?? job.Transform);
        object?[]? after = null;
        while (true)
        {
            var read = await source.ReadAsync(after, chunkSize, cancellationToken);
            if (read.Count == 0)
            {
                break;
            }

            var upTo = form.Key(read[^1]);
            var (rows, _) = transform.Apply(read);
            await CompareRangeAsync(form, target, writer, applyDeletes, tally, after, upTo, rows, job.KeepNewerColumn, cancellationToken);
            after = upTo;
            if (read.Count < chunkSize)
            {
                break;
            }

            await lease.RenewAsync(cancellationToken);
        }

        while (true)
        {
            var extra = await target.ReadAsync(after, null, chunkSize, cancellationToken);
            if (extra.Count == 0)
            {
                break;
            }

            var upTo = form.Key(extra[^1]);
            var found = new ChunkComparison(form, [], extra);
            var deleted = applyDeletes ? await target.DeleteAsync(extra, cancellationToken) : 0;
            tally.Add(Bound(after), Bound(upTo), found, found.Differences(), 0, deleted, extra.Count - deleted);
            after = upTo;
            if (extra.Count < chunkSize)
            {
                break;
            }

            await lease.RenewAsync(cancellationToken);
        }
    }

    private static async Task CompareRangeAsync(
        TargetForm form, TargetRange target, IBatchTarget? writer, bool applyDeletes, VerifyTally tally, object?[]? after, object?[] upTo, IReadOnlyList<object?[]> rows, int? keepNewer, CancellationToken cancellationToken)
    {
        var found = new ChunkComparison(form, rows, await target.ReadAsync(after, upTo, null, cancellationToken), keepNewer);
        var differences = found.Differences();
        var recopy = writer is not null && differences.Any(d => d.Kind != RowDifferenceKind.Extra);
        var extra = applyDeletes ? found.ExtraRows() : [];
        if (!recopy && extra.Count == 0)
        {
            tally.Add(Bound(after), Bound(upTo), found, differences, 0, 0, differences.Count);
            return;
        }

        if (recopy && writer is not null)
        {
            await writer.WriteAsync(rows, cancellationToken);
        }

        var deleted = await target.DeleteAsync(extra, cancellationToken);
        var repaired = new ChunkComparison(form, rows, await target.ReadAsync(after, upTo, null, cancellationToken), keepNewer);
        tally.Add(Bound(after), Bound(upTo), found, differences, recopy ? rows.Count : 0, deleted, repaired.Differences().Count);
    }

    private static string? Bound(object?[]? key) => key is null ? null : TargetForm.DisplayKey(key);
}
