using BenchmarkDotNet.Attributes;
using Cutover.Kernel.Metrics;

namespace Cutover.Bench.Metrics;

/// <summary>
/// What the request path pays per request for metrics: <see cref="SideCounters.Record"/> (request
/// and error counts, the latency histogram), alone and with what else the request path does for it
/// (<see cref="SideCounters.Start"/>, the in-flight count a rollback drains, and the two clock
/// reads that time the request), against one interlocked increment (the old request counter alone). Latencies cycle
/// through 1,024 values shaped like a real side's (mostly 0.2-2 ms, a tail to 2 s), so the
/// histogram slots touched vary as they do in production.
/// </summary>
[MemoryDiagnoser]
public class RecordBenchmarks
{
    private readonly SideCounters _side = new();
    private readonly long[] _latencies = new long[1024];
    private long _counter;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < _latencies.Length; i++)
        {
            _latencies[i] = i % 50 == 0 ? random.Next(5_000, 2_000_000) : random.Next(200, 2_000);
        }
    }

    [Benchmark(Baseline = true, Description = "one interlocked increment")]
    public long Increment() => Interlocked.Increment(ref _counter);

    [Benchmark(Description = "SideCounters.Record")]
    public void Record() => _side.Record(_latencies[_next++ & 1023], failed: false);

    [Benchmark(Description = "SideCounters.Record, an error")]
    public void RecordError() => _side.Record(_latencies[_next++ & 1023], failed: true);

    [Benchmark(Description = "Start + clock reads + Record")]
    public void TimeAndRecord()
    {
        _side.Start();
        var started = TimeProvider.System.GetTimestamp();
        _side.Record((long)TimeProvider.System.GetElapsedTime(started).TotalMicroseconds + _latencies[_next++ & 1023], failed: false);
    }
}
