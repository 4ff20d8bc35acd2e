using System.Data;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Sources;
using Npgsql;

namespace Cutover.Backfill.PassThrough;

/// <summary>
/// Copies a batch from PostgreSQL to PostgreSQL the way <c>psql COPY … TO STDOUT | psql COPY … FROM
/// STDIN</c> does: the source's binary COPY stream goes unchanged into a binary COPY straight into
/// the target table, read and written at once, while each tuple is encoded for the checksum from
/// its bytes (<see cref="CopyTuples"/>). No value becomes a .NET object, no value is converted, and
/// the target does not stage the rows and upsert them: that is where the boxed path spends its time.
/// </summary>
/// <remarks>
/// It applies when every mapped column's source type is the target column's type (so the bytes
/// mean the same on both sides) and is one <see cref="WireTypes"/> reads. A plain COPY is an
/// insert, so it is only tried while the target has no row after the batch's last key (checked
/// once, then kept true by the batches written, since keys only grow); and it stays optimistic:
/// any error that leaves both connections open (a key the application wrote meanwhile, a row the
/// target rejects, a value only Npgsql reads right) rolls the batch back and returns null, and the
/// boxed path copies it instead, with its upsert, checks and messages. The result is the same
/// whichever path wrote a batch.
/// </remarks>
internal sealed class PassThroughCopy
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>Room left in a chunk below which it is written rather than read into further: a tuple message rarely needs more.</summary>
    private const int Tail = 4 * 1024;

    private readonly CopySource _source;
    private readonly NpgsqlConnection _target;
    private readonly IReadOnlyList<WireType> _types;
    private readonly IReadOnlyList<int> _keyColumns;
    private readonly string _copy;
    private readonly string _table;
    private readonly string _keys;
    private readonly KeyRange? _range;
    private bool _clear;

    private PassThroughCopy(
        CopySource source, NpgsqlConnection target, BackfillJob job, TableShape table, IReadOnlyList<TableColumn> columns, IReadOnlyList<WireType> types, KeyRange? range)
    {
        _source = source;
        _target = target;
        _types = types;
        _keyColumns = job.KeyColumns;
        var names = columns.Select(c => BackfillDatabase.Quote(c.Name)).ToList();
        _copy = $"COPY {table.SqlName} ({string.Join(", ", names)}) FROM STDIN (FORMAT BINARY)";
        _table = table.SqlName;
        _keys = string.Join(", ", job.KeyColumns.Select(i => names[i]));
        _range = range;
    }

    /// <summary>
    /// The pass-through between <paramref name="source"/> and the <paramref name="target"/> connection
    /// (which the caller owns), or null when a column's types differ or are not read here. A split
    /// job's worker gives its key <paramref name="range"/>: only target rows within it can collide
    /// with its batches, whatever the other workers wrote before or beyond.
    /// </summary>
    public static async Task<PassThroughCopy?> TryCreateAsync(
        CopySource source, NpgsqlConnection target, BackfillJob job, TableShape table, IReadOnlyList<TableColumn> columns, KeyRange? range, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {string.Join(", ", columns.Select(c => BackfillDatabase.Quote(c.Name)))} FROM {table.SqlName} LIMIT 0", target);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken);
        var targetOids = reader.GetColumnSchema().Select(c => c.TypeOID);
        var types = source.TypeOids.Select(WireTypes.Of).ToList();
        return source.TypeOids.SequenceEqual(targetOids) && types.All(t => t is not null) && job.KeyColumns.All(k => WireTypes.CanBox(types[k]!.Value))
            ? new PassThroughCopy(source, target, job, table, columns, [.. types.Select(t => t!.Value)], range)
            : null;
    }

    /// <summary>Both connections, for telling a lost one from a failed batch.</summary>
    public (NpgsqlConnection Source, NpgsqlConnection Target) Connections => (_source.Connection, _target);

    /// <summary>
    /// Copies up to <paramref name="limit"/> rows after <paramref name="after"/> in one target
    /// transaction; null when the batch must go the boxed way, with nothing of it written.
    /// </summary>
    public async Task<PassedBatch?> CopyAsync(IReadOnlyList<object?>? after, int limit, CancellationToken cancellationToken)
    {
        try
        {
            _clear = _clear || !await RowsAfterAsync(after, cancellationToken);
            var batch = _clear ? await WriteAsync(after, limit, cancellationToken) : null;
            _clear = batch is not null;
            return batch;
        }
        catch (PostgresException) when (_source.Connection.State == ConnectionState.Open && _target.State == ConnectionState.Open)
        {
            _clear = false;
            return null;
        }
    }

    /// <summary>
    /// Streams the page into the target table and commits it when every tuple was followed and the
    /// COPY succeeded; otherwise cancels the COPY (the transaction rolls back) and returns null.
    /// </summary>
    private async Task<PassedBatch?> WriteAsync(IReadOnlyList<object?>? after, int limit, CancellationToken cancellationToken)
    {
        var tuples = new CopyTuples(_types, _keyColumns);
        await using var transaction = await _target.BeginTransactionAsync(cancellationToken);
        var import = await _target.BeginRawBinaryCopyAsync(_copy, cancellationToken);
        var ending = false;
        try
        {
            var written = await PumpAsync(after, limit, tuples, import, cancellationToken);
            var key = tuples.LastKey();
            if (!written || tuples is not { Usable: true, Ended: true } || key?.Any(v => v is null) == true)
            {
                return null;
            }

            ending = true;
            await import.DisposeAsync();
            await transaction.CommitAsync(cancellationToken);
            return new PassedBatch(tuples.Count, key, tuples.Checksum);
        }
        finally
        {
            if (!ending && _target.State == ConnectionState.Open)
            {
                await import.CancelAsync();
            }
        }
    }

    /// <summary>
    /// Reads the source's page to its end, writing it to <paramref name="import"/> as it comes, in
    /// chunks of many tuples (the source sends a message per tuple; the target takes fewer, larger
    /// ones faster), and has <paramref name="tuples"/> follow each chunk once it is on its way: the
    /// backends go on filling and draining their socket buffers meanwhile, and following on this
    /// thread costs less than handing chunks to another (on 2 cores, the backends need the CPU a
    /// second thread and its wake-ups would take). False when the target refused a write (its
    /// error comes again when the COPY ends, so the batch goes the boxed way).
    /// </summary>
    private async Task<bool> PumpAsync(IReadOnlyList<object?>? after, int limit, CopyTuples tuples, NpgsqlRawCopyStream import, CancellationToken cancellationToken)
    {
        var writing = true;
        var chunk = new byte[ChunkSize];
        await using var export = await _source.ExportAsync(after, limit, cancellationToken);
        while (true)
        {
            int read, length = 0;
            while ((read = await export.ReadAsync(chunk.AsMemory(length), cancellationToken)) > 0 && (length += read) < ChunkSize - Tail)
            {
            }

            if (writing && length > 0)
            {
                try
                {
                    await import.WriteAsync(chunk.AsMemory(0, length), cancellationToken);
                }
                catch (PostgresException) when (_target.State == ConnectionState.Open)
                {
                    writing = false;
                }
            }

            tuples.Feed(chunk.AsSpan(0, length));
            if (read == 0)
            {
                return writing;
            }
        }
    }

    /// <summary>
    /// Whether the target has a row after <paramref name="after"/> (when null, after the range's
    /// start, or any row), up to the range's last key when there is one: a row a plain COPY of the
    /// batch could collide with.
    /// </summary>
    private async Task<bool> RowsAfterAsync(IReadOnlyList<object?>? after, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand { Connection = _target };
        var conditions = new List<string>();
        foreach (var (bound, name, comparison) in new[] { (after ?? _range?.After, "a", ">"), (_range?.UpTo, "u", "<=") })
        {
            if (bound is not null)
            {
                conditions.Add($"({_keys}) {comparison} ({string.Join(", ", bound.Select((_, k) => $"@{name}{k}"))})");
                for (var k = 0; k < bound.Count; k++)
                {
                    KeysetQuery.Bind(command, $"{name}{k}", bound[k]);
                }
            }
        }

        command.CommandText = $"SELECT EXISTS (SELECT 1 FROM {_table}{(conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions))})";
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}

/// <summary>A batch the pass-through copy wrote: its rows, the last one's key and their checksum.</summary>
internal sealed record PassedBatch(int Count, IReadOnlyList<object?>? LastKey, RowChecksum Checksum);
