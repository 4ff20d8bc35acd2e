using Cutover.Kernel.Comparison;
using Cutover.Kernel.Shadow;

namespace Cutover.Core.Shadow;

/// <summary>
/// Gathers one migration's shadow evidence between two flushes to the store: counts per endpoint
/// and differing path, a few samples per group, and newly learned noise. A group gets its first
/// <see cref="DivergenceLimits.SamplesPerPath"/> samples at once and then one fresh sample per
/// <see cref="SampleRefresh"/>, so a steady divergence does not rewrite samples in the store
/// with every flush. Shadow workers record
/// into it, the results intake merges what SDKs report into it; a flusher drains it into a <see cref="ShadowBatch"/> and, when the store is down,
/// merges the batch back so nothing counted is lost. Memory stays bounded whatever the candidate
/// does: endpoints, paths and samples are capped by <see cref="DivergenceLimits"/>.
/// </summary>
public sealed class EvidenceLedger(string migration)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Endpoint, string Path), (int Taken, DateTimeOffset Last)> _sampled = [];
    private Dictionary<string, EndpointDelta> _endpoints = new(StringComparer.Ordinal);
    private List<DivergenceSample> _samples = [];
    private List<NoiseEntry> _noise = [];

    /// <summary>How often a group that already has its samples gets a newer one.</summary>
    public static readonly TimeSpan SampleRefresh = TimeSpan.FromMinutes(1);

    /// <summary>The migration the evidence belongs to.</summary>
    public string Migration { get; } = migration;

    /// <summary>
    /// Counts one comparison on an endpoint. Returns the endpoint and path the pair is grouped
    /// under (after the caps), and whether a sample of it is still wanted.
    /// </summary>
    public (string Endpoint, string Path, bool WantsSample) Record(string endpoint, JsonComparison comparison, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        lock (_gate)
        {
            endpoint = Admit(endpoint);
            if (!_endpoints.TryGetValue(endpoint, out var delta))
            {
                delta = _endpoints[endpoint] = new EndpointDelta(at);
            }

            // Copies are compared as their candidate answers, not in the order they arrived.
            delta.Compared++;
            delta.FirstSeen = Min(delta.FirstSeen, at);
            delta.LastSeen = Max(delta.LastSeen, at);
            if (comparison.IsEqual)
            {
                return (endpoint, string.Empty, false);
            }

            delta.Divergent++;
            string? first = null;
            var counted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var difference in comparison.Differences)
            {
                var path = AdmitPath(endpoint, JsonPathPattern.Generalize(difference.Path));
                first ??= path;
                if (!counted.Add(path))
                {
                    continue;
                }

                delta.Paths[path] = delta.Paths.TryGetValue(path, out var tally)
                    ? tally with { Kind = difference.Kind, Count = tally.Count + 1, FirstSeen = Min(tally.FirstSeen, at), LastSeen = Max(tally.LastSeen, at) }
                    : new PathTally(path, difference.Kind, 1, at, at);
            }

            first ??= DivergenceLimits.OtherPath;
            var group = (endpoint, first);
            var wanted = !_sampled.TryGetValue(group, out var sampled) || sampled.Taken < DivergenceLimits.SamplesPerPath || at - sampled.Last >= SampleRefresh;
            if (wanted)
            {
                _sampled[group] = (sampled.Taken + 1, at);
            }

            return (endpoint, first, wanted);
        }
    }

    /// <summary>Keeps a sample that <see cref="Record"/> asked for, replacing the oldest pending one of its group when the group is full.</summary>
    public void AddSample(DivergenceSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (_gate)
        {
            _samples.Add(sample);
            _samples = Newest(_samples);
        }
    }

    /// <summary>Records paths newly learned as noise on an endpoint.</summary>
    public void AddNoise(string endpoint, IEnumerable<string> paths, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(paths);
        lock (_gate)
        {
            _noise.AddRange(paths.Select(p => new NoiseEntry(endpoint, p, at)));
        }
    }

    /// <summary>Takes everything gathered since the last drain.</summary>
    public ShadowBatch Drain()
    {
        lock (_gate)
        {
            var batch = new ShadowBatch(
                Migration,
                _endpoints.Select(e => new EndpointTally(e.Key, e.Value.Compared, e.Value.Divergent, e.Value.FirstSeen, e.Value.LastSeen, e.Value.Paths.Values.ToList())).ToList(),
                // Oldest first, so the store's ids (which order its samples) follow the time of the requests.
                _samples.OrderBy(s => s.Time).ToList(),
                _noise);
            _endpoints = new(StringComparer.Ordinal);
            _samples = [];
            _noise = [];
            return batch;
        }
    }

    /// <summary>
    /// Adds a batch to what was gathered, so it goes out with the next flush: one the store did
    /// not take, or the evidence an SDK reported for a code-level migration. Its endpoints and
    /// paths go through the same caps as <see cref="Record"/>'s (a batch of this ledger's own passes
    /// them unchanged), so an application reporting ever new paths cannot grow the evidence without
    /// bound. Samples stay capped at <see cref="DivergenceLimits.SamplesPerPath"/> per group, newest kept.
    /// </summary>
    public void Merge(ShadowBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            foreach (var tally in batch.Endpoints)
            {
                var endpoint = Admit(tally.Endpoint);
                if (!_endpoints.TryGetValue(endpoint, out var delta))
                {
                    delta = _endpoints[endpoint] = new EndpointDelta(tally.FirstSeen) { LastSeen = tally.LastSeen };
                }

                delta.Compared += tally.Compared;
                delta.Divergent += tally.Divergent;
                delta.FirstSeen = Min(delta.FirstSeen, tally.FirstSeen);
                delta.LastSeen = Max(delta.LastSeen, tally.LastSeen);
                foreach (var reported in tally.Paths)
                {
                    var path = reported with { Path = AdmitPath(endpoint, reported.Path) };
                    delta.Paths[path.Path] = delta.Paths.TryGetValue(path.Path, out var newer)
                        ? newer with { Count = newer.Count + path.Count, FirstSeen = Min(newer.FirstSeen, path.FirstSeen) }
                        : path;
                }
            }

            var admitted = batch.Samples.Select(sample =>
            {
                var endpoint = Admit(sample.Endpoint);
                return sample with { Endpoint = endpoint, Path = AdmitPath(endpoint, sample.Path) };
            });
            _samples = Newest([.. admitted, .. _samples]);
            _noise = [.. batch.Noise, .. _noise];
        }
    }

    private string Admit(string endpoint)
    {
        if (_known.ContainsKey(endpoint))
        {
            return endpoint;
        }

        if (_known.Count >= DivergenceLimits.EndpointsPerMigration)
        {
            endpoint = DivergenceLimits.OtherEndpoint;
        }

        _known.TryAdd(endpoint, new HashSet<string>(StringComparer.Ordinal));
        return endpoint;
    }

    private string AdmitPath(string endpoint, string path)
    {
        var paths = _known[endpoint];
        if (paths.Contains(path))
        {
            return path;
        }

        if (paths.Count >= DivergenceLimits.PathsPerEndpoint)
        {
            return DivergenceLimits.OtherPath;
        }

        paths.Add(path);
        return path;
    }

    private static List<DivergenceSample> Newest(IEnumerable<DivergenceSample> samples) =>
        samples.GroupBy(s => (s.Endpoint, s.Path))
            .SelectMany(g => g.OrderByDescending(s => s.Time).Take(DivergenceLimits.SamplesPerPath))
            .ToList();

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed class EndpointDelta(DateTimeOffset firstSeen)
    {
        public long Compared { get; set; }

        public long Divergent { get; set; }

        public DateTimeOffset FirstSeen { get; set; } = firstSeen;

        public DateTimeOffset LastSeen { get; set; } = firstSeen;

        public Dictionary<string, PathTally> Paths { get; } = new(StringComparer.Ordinal);
    }
}
