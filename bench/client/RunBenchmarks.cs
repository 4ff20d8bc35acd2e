using BenchmarkDotNet.Attributes;
using Cutover.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Bench.Client;

/// <summary>
/// What <see cref="ICutoverClient.RunAsync{T}"/> and <see cref="ICutoverClient.Run{T}"/> add to a
/// call of a migration in <c>legacy</c> mode, over calling legacy directly. Legacy answers with a
/// completed task it keeps, so the figures are the SDK's cost and nothing of the delegate's.
/// </summary>
[MemoryDiagnoser]
public class RunBenchmarks
{
    private static readonly Task<int> Answer = Task.FromResult(42);
    private static readonly Func<CancellationToken, Task<int>> LegacyAsync = static _ => Answer;
    private static readonly Func<CancellationToken, Task<int>> CandidateAsync = static _ => Answer;
    private static readonly Func<int> Legacy = static () => 42;
    private static readonly Func<int> Candidate = static () => 43;

    private ServiceProvider _services = null!;
    private ICutoverClient _client = null!;
    private string[] _users = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _services = Sdk.Build();
        _client = _services.GetRequiredService<ICutoverClient>();
        _users = Sdk.Users();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "legacy called directly (async)")]
    public Task<int> DirectAsync() => LegacyAsync(CancellationToken.None);

    [Benchmark(Description = "RunAsync, legacy mode")]
    public Task<int> RunAsyncLegacy() => _client.RunAsync(Sdk.Legacy, LegacyAsync, CandidateAsync, _users[_next++ & 1023]);

    [Benchmark(Description = "legacy called directly (sync)")]
    public int Direct() => Legacy();

    [Benchmark(Description = "Run, legacy mode")]
    public int RunLegacy() => _client.Run(Sdk.Legacy, Legacy, Candidate, _users[_next++ & 1023]);

    [Benchmark(Description = "RunAsync, canary 20% (either side, counted and timed)")]
    public Task<int> RunAsyncCanary() => _client.RunAsync(Sdk.Canary, LegacyAsync, CandidateAsync, _users[_next++ & 1023]);
}
