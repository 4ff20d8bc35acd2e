using BenchmarkDotNet.Attributes;
using Cutover.Client;
using Cutover.Kernel.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace Cutover.Bench.Client;

/// <summary>
/// One routing decision for a named migration and a user: Cutover's <see cref="ICutoverClient.IsCandidate"/>
/// (a table lookup and the sticky bucket) against Microsoft.FeatureManagement's
/// <see cref="IFeatureManager.IsEnabledAsync(string)"/> with its percentage filter (random, not
/// sticky) and with its targeting filter (sticky by user id, the closer peer), and the same
/// migration read through FeatureManagement with Cutover's filter. Users cycle through 1,024 ids.
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private ServiceProvider _services = null!;
    private ICutoverClient _client = null!;
    private IFeatureManager _features = null!;
    private string[] _users = null!;
    private TargetingContext[] _contexts = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _services = Sdk.Build();
        _client = _services.GetRequiredService<ICutoverClient>();
        _features = _services.GetRequiredService<IFeatureManager>();
        _users = Sdk.Users();
        _contexts = _users.Select(user => new TargetingContext { UserId = user }).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "Cutover IsCandidate (canary 20%, sticky)")]
    public bool IsCandidate() => _client.IsCandidate(Sdk.Canary, _users[_next++ & 1023]);

    [Benchmark(Description = "StickyBucket.Compute alone")]
    public int Bucket() => StickyBucket.Compute(Sdk.Canary, _users[_next++ & 1023]);

    [Benchmark(Description = "FeatureManager, Microsoft.Percentage 20%")]
    public Task<bool> Percentage() => _features.IsEnabledAsync(Sdk.Percentage);

    [Benchmark(Description = "FeatureManager, Microsoft.Targeting 20%, user context")]
    public Task<bool> Targeting() => _features.IsEnabledAsync(Sdk.Targeted, _contexts[_next++ & 1023]);

    [Benchmark(Description = "FeatureManager, Cutover migration filter, user context")]
    public Task<bool> MigrationAsFeature() => _features.IsEnabledAsync(Sdk.Canary, _contexts[_next++ & 1023]);
}
