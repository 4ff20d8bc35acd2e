using System.Text.Json;
using System.Text.Json.Nodes;
using Cutover.Kernel.Comparison;
using FsCheck;
using FsCheck.Fluent;

namespace Cutover.Kernel.Tests.Comparison;

public class JsonComparerTests
{
    [Fact]
    public void Compare_SameDocumentWithKeysReordered_IsEqual()
    {
        var result = Compare("""{"id":1,"tags":["a","b"],"total":{"amount":1.50}}""", """{"total":{"amount":1.5},"tags":["a","b"],"id":1}""");

        Assert.True(result.IsEqual);
    }

    [Fact]
    public void Compare_ChangedValue_ListsThePathAndBothValues()
    {
        var difference = Assert.Single(Compare("""{"items":[{"price":10},{"price":20}]}""", """{"items":[{"price":10},{"price":25}]}""").Differences);

        Assert.Equal(new Difference("$.items[1].price", DifferenceKind.ValueChanged, "20", "25"), difference);
    }

    [Fact]
    public void Compare_TypeChange_IsReportedAsSuch()
    {
        var difference = Assert.Single(Compare("""{"id":7}""", """{"id":"7"}""").Differences);

        Assert.Equal(new Difference("$.id", DifferenceKind.TypeChanged, "7", "\"7\""), difference);
    }

    [Fact]
    public void Compare_MissingAndAddedKeys_AreBothListed()
    {
        var result = Compare("""{"a":1,"b":2}""", """{"a":1,"c":3}""");

        Assert.Equal(
            [new Difference("$.b", DifferenceKind.Missing, "2", null), new Difference("$.c", DifferenceKind.Added, null, "3")],
            result.Differences);
    }

    [Fact]
    public void Compare_ArrayOfDifferentLength_ReportsTheExtraElements()
    {
        var result = Compare("""[1,2,3]""", """[1,2]""");

        Assert.Equal(new Difference("$[2]", DifferenceKind.Missing, "3", null), Assert.Single(result.Differences));
    }

    [Fact]
    public void Compare_IgnoredPathWithWildcard_IsNotCompared()
    {
        var rules = Rules(ignore: ["$.requestId", "$.items[*].updatedAt"]);

        var result = Compare(
            """{"requestId":"r1","items":[{"id":1,"updatedAt":"09:00"},{"id":2,"updatedAt":"09:01"}]}""",
            """{"requestId":"r2","items":[{"id":1,"updatedAt":"10:00"},{"id":2}]}""", rules);

        Assert.True(result.IsEqual, string.Join("; ", result.Differences));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0.001, false)]
    [InlineData(0.01, true)]
    public void Compare_NumbersWithinTolerance_AreEqual(double tolerance, bool equal) =>
        Assert.Equal(equal, Compare("""{"rate":0.105}""", """{"rate":0.11}""", Rules(tolerance: tolerance)).IsEqual);

    [Fact]
    public void Compare_UnorderedArray_IgnoresOrderButNotContent()
    {
        var rules = Rules(unordered: ["$.tags"]);

        Assert.True(Compare("""{"tags":["a","b","b"]}""", """{"tags":["b","a","b"]}""", rules).IsEqual);
        var result = Compare("""{"tags":["a","b","b"]}""", """{"tags":["b","a","c"]}""", rules);
        Assert.Equal(
            [new Difference("$.tags[*]", DifferenceKind.Missing, "\"b\"", null), new Difference("$.tags[*]", DifferenceKind.Added, null, "\"c\"")],
            result.Differences);
    }

    [Fact]
    public void Compare_UnorderedArrayOfObjects_AppliesIgnoreRulesInsideElements()
    {
        var rules = Rules(ignore: ["$.items[*].updatedAt"], unordered: ["$.items"]);

        var result = Compare(
            """{"items":[{"id":1,"updatedAt":"a"},{"id":2,"updatedAt":"b"}]}""",
            """{"items":[{"updatedAt":"c","id":2},{"id":1,"updatedAt":"d"}]}""", rules);

        Assert.True(result.IsEqual, string.Join("; ", result.Differences));
    }

    [Fact]
    public void Compare_ManyDifferences_ListsAtMostTheLimitAndCountsAll()
    {
        var legacy = JsonSerializer.Serialize(Enumerable.Range(0, 500).ToArray());
        var candidate = JsonSerializer.Serialize(Enumerable.Range(1, 500).ToArray());

        var result = Compare(legacy, candidate, ComparisonRules.Exact with { MaxDifferences = 10 });

        Assert.Equal(10, result.Differences.Count);
        Assert.Equal(500, result.Total);
    }

    [Fact]
    public void Compare_LongValue_IsShortenedTo200Characters()
    {
        var difference = Assert.Single(Compare($$"""{"a":"{{new string('x', 1000)}}"}""", """{"a":"y"}""").Differences);

        Assert.Equal(200, difference.Legacy!.Length);
        Assert.EndsWith("…", difference.Legacy, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_AnyDocumentWithItself_IsEqual()
    {
        Prop.ForAll<int>(seed =>
        {
            var document = RandomDocument(new Random(seed));
            return Compare(document.ToJsonString(), document.ToJsonString()).IsEqual;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Compare_OneChangedLeaf_IsReportedAtExactlyItsPath()
    {
        Prop.ForAll<int>(seed =>
        {
            var random = new Random(seed);
            var document = RandomDocument(random);
            var leaves = Leaves(document, "$").ToList();
            var (path, leaf) = leaves[random.Next(leaves.Count)];
            var before = document.ToJsonString();
            Replace(leaf, JsonValue.Create("changed-" + seed));

            var result = Compare(before, document.ToJsonString());

            var difference = Assert.Single(result.Differences);
            return difference.Path == path && difference.Kind is DifferenceKind.ValueChanged or DifferenceKind.TypeChanged;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("$.items[*].updatedAt")]
    [InlineData("$['odd key'][0].*")]
    [InlineData("$")]
    public void TryParse_ValidPath_Parses(string text) => Assert.True(JsonPathPattern.TryParse(text, out _, out _));

    [Theory]
    [InlineData("items.id", "it must start with $")]
    [InlineData("$.items[", "the '[' at position 7 is never closed")]
    [InlineData("$.items[x]", "'[x]' is not an index, [*] or a quoted name like ['my key']")]
    [InlineData("$..id", "a '.' at position 2 is not followed by a name")]
    [InlineData("$items", "unexpected 'i' at position 1")]
    public void TryParse_MalformedPath_SaysWhatIsWrong(string text, string error)
    {
        Assert.False(JsonPathPattern.TryParse(text, out _, out var message));
        Assert.Equal(error, message);
    }

    private static JsonComparison Compare(string legacy, string candidate, ComparisonRules? rules = null)
    {
        using var left = JsonDocument.Parse(legacy);
        using var right = JsonDocument.Parse(candidate);
        return JsonComparer.Compare(left.RootElement, right.RootElement, rules ?? ComparisonRules.Exact);
    }

    private static ComparisonRules Rules(string[]? ignore = null, double tolerance = 0, string[]? unordered = null) => new(
        (ignore ?? []).Select(JsonPathPattern.Parse).ToList(), tolerance, (unordered ?? []).Select(JsonPathPattern.Parse).ToList());

    /// <summary>A random document of objects, arrays and scalars, always with at least one leaf.</summary>
    private static JsonNode RandomDocument(Random random, int depth = 0)
    {
        var kind = depth >= 3 ? 2 : random.Next(depth == 0 ? 2 : 3);
        switch (kind)
        {
            case 0:
                var obj = new JsonObject();
                for (var i = 0; i < random.Next(1, 5); i++)
                {
                    obj[$"k{i}{(random.Next(4) == 0 ? " x" : string.Empty)}"] = RandomDocument(random, depth + 1);
                }

                return obj;
            case 1:
                var array = new JsonArray();
                for (var i = 0; i < random.Next(1, 5); i++)
                {
                    array.Add(RandomDocument(random, depth + 1));
                }

                return array;
            default:
                return random.Next(4) switch
                {
                    0 => JsonValue.Create(random.Next(-1000, 1000)),
                    1 => JsonValue.Create(random.NextDouble() * 100),
                    2 => JsonValue.Create(random.Next(2) == 0),
                    _ => JsonValue.Create("s" + random.Next(100)),
                };
        }
    }

    private static IEnumerable<(string Path, JsonNode Leaf)> Leaves(JsonNode node, string path) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Leaves(p.Value!, p.Key.Contains(' ', StringComparison.Ordinal) ? $"{path}['{p.Key}']" : $"{path}.{p.Key}")),
        JsonArray array => array.SelectMany((item, i) => Leaves(item!, $"{path}[{i}]")),
        _ => [(path, node)],
    };

    private static void Replace(JsonNode leaf, JsonNode replacement)
    {
        switch (leaf.Parent)
        {
            case JsonObject parent:
                parent[leaf.GetPropertyName()] = replacement;
                break;
            case JsonArray parent:
                parent[leaf.GetElementIndex()] = replacement;
                break;
        }
    }
}
