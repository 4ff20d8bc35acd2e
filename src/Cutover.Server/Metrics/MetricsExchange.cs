using Cutover.Core.Configuration;
using Cutover.Kernel.Metrics;
using Cutover.Server.Diagnostics;
using Cutover.Server.Settings;
using Cutover.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Metrics;

/// <summary>
/// Trades buckets with the other replicas through the store, every
/// <see cref="CutoverHostOptions.MetricsFlushInterval"/>: writes this replica's recent buckets
/// that changed since the last flush (the one in progress included, so the others are never more
/// than a flush behind) and reads
/// everyone else's. Buckets older than the history are pruned. A store that cannot be reached
/// only makes the others' part stale; this replica's own counting never waits for it.
/// </summary>
internal sealed class MetricsExchange(
    SharedMetrics shared, MetricsRegistry metrics, CutoverDefinition definition, IMetricsBucketStore store, IOptions<CutoverHostOptions> options, ILogger<MetricsExchange> logger)
    : BackgroundService
{
    /// <summary>How long buckets are kept: as long as the in-memory history.</summary>
    public static readonly TimeSpan Retention = MetricsHistory.BucketLength * MetricsHistory.Capacity;

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    // A bucket keeps changing until a little after it ends, so each flush resends, and each read
    // re-reads, the buckets of the last few intervals besides what is new.
    private static readonly TimeSpan Overlap = MetricsHistory.BucketLength * 3;

    private readonly Dictionary<string, List<ReplicaBucket>> _others = new(StringComparer.Ordinal);
    private readonly FlushedBuckets _flushedBuckets = new();
    private DateTimeOffset? _flushed;
    private DateTimeOffset? _read;
    private DateTimeOffset _pruned = DateTimeOffset.MinValue;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await ExchangeAsync(stoppingToken);
                await Task.Delay(options.Value.MetricsFlushInterval, options.Value.Time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>Stops the loop, then writes this replica's last seconds, so a replica that takes over (or this one restarted) judges on them.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(options.Value.Time.GetUtcNow(), cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            CutoverLog.MetricsExchangeFailed(logger, store.Description, e.Message);
        }
    }

    private async Task ExchangeAsync(CancellationToken cancellationToken)
    {
        var now = options.Value.Time.GetUtcNow();
        try
        {
            await FlushAsync(now, cancellationToken);
            await ReadAsync(now, cancellationToken);
            if (now - _pruned >= PruneEvery)
            {
                await store.PruneMetricsAsync(now - Retention - PruneEvery, cancellationToken);
                _pruned = now;
            }

            if (_failing)
            {
                _failing = false;
                CutoverLog.MetricsExchangeRecovered(logger, store.Description);
            }
        }
        catch (StoreUnavailableException e)
        {
            if (!_failing)
            {
                _failing = true;
                CutoverLog.MetricsExchangeFailed(logger, store.Description, e.Message);
            }
        }
    }

    private async Task FlushAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = Latest(_flushed - Overlap, now - Retention);
        var buckets = new List<ReplicaBucket>();
        foreach (var migration in definition.Migrations)
        {
            buckets.AddRange(metrics.History(migration.Name).Recent(now - since, now)
                .GroupBy(b => b.Start)
                .Select(g => new ReplicaBucket(migration.Name, shared.Replica, g.Count() == 1 ? g.First() : MetricsBucket.Merge(g.Key, [.. g]))));
        }

        var changed = _flushedBuckets.Changed(buckets);
        await store.SaveMetricsAsync(changed, cancellationToken);
        _flushedBuckets.Written(changed, MetricsHistory.BucketStartOf(since));
        _flushed = now;
    }

    private async Task ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = MetricsHistory.BucketStartOf(Latest(_read - Overlap, now - Retention));
        var fresh = await store.GetMetricsAsync(since, cancellationToken);
        var oldest = now - Retention;
        foreach (var list in _others.Values)
        {
            list.RemoveAll(b => b.Bucket.Start >= since || b.Bucket.Start < oldest);
        }

        foreach (var bucket in fresh.Where(b => b.Replica != shared.Replica))
        {
            if (!_others.TryGetValue(bucket.Migration, out var list))
            {
                _others[bucket.Migration] = list = [];
            }

            list.Add(bucket);
        }

        shared.SetOthers(_others.ToDictionary(p => p.Key, p => (IReadOnlyList<ReplicaBucket>)[.. p.Value], StringComparer.Ordinal));
        _read = now;
    }

    private static DateTimeOffset Latest(DateTimeOffset? a, DateTimeOffset b) => a is { } value && value > b ? value : b;
}
