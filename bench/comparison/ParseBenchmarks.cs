using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;

namespace Cutover.Bench.Comparison;

/// <summary>
/// Parsing alone, on the same two bodies as <see cref="ComparisonBenchmarks"/>: how much of each
/// side's time is the parser (System.Text.Json's JsonDocument against Newtonsoft.Json's JToken)
/// rather than the comparison.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ParseBenchmarks
{
    private byte[] _legacy = [];
    private byte[] _candidate = [];

    /// <summary>The document's size in KB: 2 is one order, 200 a page of orders.</summary>
    [Params(2, 200)]
    public int Kilobytes { get; set; } = 2;

    /// <summary>Builds the identical pair (what is in it does not change the parsing cost).</summary>
    [GlobalSetup]
    public void Setup() => (_legacy, _candidate) = OrderDocuments.Pair(Kilobytes, PairCase.Identical);

    /// <summary>What JsonDiffPatch.Net's benchmark spends before diffing: decode and <c>JToken.Parse</c> both bodies.</summary>
    [Benchmark(Baseline = true, Description = "JToken.Parse x2")]
    public JToken JTokenParse()
    {
        var left = JToken.Parse(Encoding.UTF8.GetString(_legacy));
        var right = JToken.Parse(Encoding.UTF8.GetString(_candidate));
        return left.Type == right.Type ? right : left;
    }

    /// <summary>What Cutover's benchmarks spend before comparing: <c>JsonDocument.Parse</c> both bodies.</summary>
    [Benchmark(Description = "JsonDocument.Parse x2")]
    public int JsonDocumentParse()
    {
        using var left = JsonDocument.Parse(_legacy);
        using var right = JsonDocument.Parse(_candidate);
        return (int)left.RootElement.ValueKind + (int)right.RootElement.ValueKind;
    }
}
