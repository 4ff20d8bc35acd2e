using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cutover.Core.Comparison;
using Cutover.Kernel.Comparison;
using JsonDiffPatchDotNet;
using Newtonsoft.Json.Linq;

namespace Cutover.Bench.Comparison;

/// <summary>
/// Cutover's response comparison against JsonDiffPatch.Net on the same pair of JSON answers.
/// Every benchmark starts from the two bodies' UTF-8 bytes, as the proxy captures them, so
/// parsing is counted on both sides; JsonDiffPatch.Net also pays for decoding them to strings,
/// which <c>JToken.Parse</c> needs.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ComparisonBenchmarks
{
    private static readonly Dictionary<string, string> JsonHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Content-Type"] = "application/json; charset=utf-8",
    };

    private byte[] _legacy = [];
    private byte[] _candidate = [];
    private CapturedResponse _legacyResponse = null!;
    private CapturedResponse _candidateResponse = null!;

    /// <summary>The document's size in KB: 2 is one order, 200 a page of orders.</summary>
    [Params(2, 200)]
    public int Kilobytes { get; set; } = 2;

    /// <summary>Whether the two answers are equal or differ in a handful of places.</summary>
    [Params(PairCase.Identical, PairCase.Differs)]
    public PairCase Case { get; set; }

    /// <summary>Builds both bodies (separately, so equal content never means the same array) and checks that every side sees what was planted.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_legacy, _candidate) = OrderDocuments.Pair(Kilobytes, Case);
        _legacyResponse = new CapturedResponse(200, JsonHeaders, _legacy);
        _candidateResponse = new CapturedResponse(200, JsonHeaders, _candidate);

        var expected = Case == PairCase.Differs ? OrderDocuments.PlantedDifferences : 0;
        var cutover = CutoverJsonComparer();
        var response = CutoverResponseComparer();
        var delta = JsonDiffPatchNet();
        if (cutover.Total != expected || response.Total != expected || (delta is null) != (expected == 0))
        {
            throw new InvalidOperationException(
                $"{Kilobytes} KB/{Case}: expected {expected} differences; JsonComparer found {cutover.Total}, ResponseComparer {response.Total}, " +
                $"JsonDiffPatch.Net {(delta is null ? "none" : "some")}");
        }

        Console.WriteLine($"// {Kilobytes} KB/{Case}: legacy {_legacy.Length:N0} bytes, candidate {_candidate.Length:N0} bytes, {expected} differences");
    }

    /// <summary>JsonDiffPatch.Net with its defaults: parse both with Newtonsoft.Json, then diff.</summary>
    [Benchmark(Baseline = true, Description = "JsonDiffPatch.Net")]
    public JToken? JsonDiffPatchNet()
    {
        var left = JToken.Parse(Encoding.UTF8.GetString(_legacy));
        var right = JToken.Parse(Encoding.UTF8.GetString(_candidate));
        return new JsonDiffPatch().Diff(left, right);
    }

    /// <summary>Cutover's structural comparer: parse both with System.Text.Json, then compare exactly.</summary>
    [Benchmark(Description = "Cutover JsonComparer")]
    public JsonComparison CutoverJsonComparer()
    {
        using var left = JsonDocument.Parse(_legacy);
        using var right = JsonDocument.Parse(_candidate);
        return JsonComparer.Compare(left.RootElement, right.RootElement, ComparisonRules.Exact);
    }

    /// <summary>The whole response comparison as the proxy runs it: status, Content-Type, then the JSON body.</summary>
    [Benchmark(Description = "Cutover ResponseComparer")]
    public JsonComparison CutoverResponseComparer() =>
        ResponseComparer.Compare(_legacyResponse, _candidateResponse, ResponseRules.Default);
}

/// <summary>The two answers of a pair.</summary>
public enum PairCase
{
    /// <summary>Equal content, serialised separately.</summary>
    Identical,

    /// <summary>Six planted differences (see <see cref="OrderDocuments.Mutate"/>).</summary>
    Differs,
}
