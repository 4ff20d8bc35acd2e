using System.Collections.Concurrent;
using Cutover.Core.Comparison;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Shadow;

namespace Cutover.Core.Shadow;

/// <summary>
/// The noise of one migration, learned per endpoint the way Diffy does it: a request answered
/// twice by legacy whose two answers differ at a path shows that path changes by itself
/// (timestamps, request ids, random tokens), so a candidate that differs there is not wrong.
/// Learned paths are excluded from every later comparison on that endpoint. Safe to use from
/// many shadow workers at once.
/// </summary>
public sealed class LearnedNoise
{
    private readonly ConcurrentDictionary<string, EndpointNoise> _endpoints = new(StringComparer.Ordinal);

    /// <summary>Adds noise known from before, such as what the store kept across a restart.</summary>
    public void Load(IEnumerable<NoiseEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            Learn(entry.Endpoint, [entry.Path]);
        }
    }

    /// <summary>
    /// Learns from two legacy answers to one request, compared under the migration's own rules;
    /// returns the paths not known before, generalised (<c>$.items[*].updatedAt</c>).
    /// </summary>
    public IReadOnlyList<string> Learn(string endpoint, JsonComparison legacyVsLegacy)
    {
        ArgumentNullException.ThrowIfNull(legacyVsLegacy);
        return legacyVsLegacy.IsEqual ? [] : Learn(endpoint, legacyVsLegacy.Differences.Select(d => JsonPathPattern.Generalize(d.Path)));
    }

    /// <summary>The paths learned on an endpoint, in order.</summary>
    public IReadOnlyList<string> PathsOf(string endpoint) =>
        _endpoints.TryGetValue(endpoint, out var noise) ? noise.Paths.Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>The migration's rules with the endpoint's noise left out.</summary>
    public ResponseRules RulesFor(string endpoint, ResponseRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return _endpoints.TryGetValue(endpoint, out var noise) ? noise.Apply(rules) : rules;
    }

    private List<string> Learn(string endpoint, IEnumerable<string> paths)
    {
        var added = new List<string>();
        var noise = _endpoints.GetOrAdd(endpoint, static _ => new EndpointNoise());
        lock (noise.Gate)
        {
            foreach (var path in paths)
            {
                if (noise.Paths.Count < DivergenceLimits.NoisePerEndpoint && noise.Paths.Add(path))
                {
                    added.Add(path);
                }
            }

            if (added.Count > 0)
            {
                noise.Invalidate();
            }
        }

        return added;
    }

    /// <summary>One endpoint's noise and the rules it last produced, rebuilt only when the noise grows.</summary>
    private sealed class EndpointNoise
    {
        private (ResponseRules Base, ResponseRules Applied)? _cache;

        public Lock Gate { get; } = new();

        public HashSet<string> Paths { get; } = new(StringComparer.Ordinal);

        public void Invalidate() => _cache = null;

        public ResponseRules Apply(ResponseRules rules)
        {
            lock (Gate)
            {
                if (_cache is { } cache && ReferenceEquals(cache.Base, rules))
                {
                    return cache.Applied;
                }

                var ignore = rules.Json.Ignore.ToList();
                foreach (var path in Paths)
                {
                    if (JsonPathPattern.TryParse(path, out var pattern, out _))
                    {
                        ignore.Add(pattern!);
                    }
                }

                var noisyHeaders = Paths.Where(p => p.StartsWith("header:", StringComparison.Ordinal)).Select(p => p["header:".Length..]).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var applied = rules with
                {
                    Json = rules.Json with { Ignore = ignore },
                    Headers = rules.Headers.Where(h => !noisyHeaders.Contains(h)).ToList(),
                    IgnoreStatus = rules.IgnoreStatus || Paths.Contains("status") || Paths.Contains(ResponseComparer.GrpcStatusPath),
                    IgnoreBody = rules.IgnoreBody || Paths.Contains("body"),
                };
                _cache = (rules, applied);
                return applied;
            }
        }
    }
}
