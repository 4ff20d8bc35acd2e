using System.Text;
using Cutover.Core.Comparison;
using Cutover.Core.Shadow;
using Cutover.Kernel.Shadow;

namespace Cutover.Core.Tests.Shadow;

public sealed class LearnedNoiseTests
{
    private const string Endpoint = "GET /orders/{id}";

    private static CapturedResponse Json(string body, int status = 200, string etag = "\"1\"") =>
        new(status, new Dictionary<string, string> { ["Content-Type"] = "application/json", ["ETag"] = etag }, Encoding.UTF8.GetBytes(body));

    private static readonly ResponseRules Rules = ResponseRules.Default with { Headers = ["Content-Type", "ETag"] };

    [Fact]
    public void Learn_PathsThatDifferBetweenTwoLegacyAnswers_AreGeneralisedAndNewOnesReturnedOnce()
    {
        var noise = new LearnedNoise();
        var probe = ResponseComparer.Compare(
            Json("""{"id":1,"requestId":"a","lines":[{"trace":"x"},{"trace":"y"}]}""", etag: "\"1\""),
            Json("""{"id":1,"requestId":"b","lines":[{"trace":"z"},{"trace":"w"}]}""", etag: "\"2\""), Rules);

        Assert.Equal(["header:ETag", "$.requestId", "$.lines[*].trace"], noise.Learn(Endpoint, probe));
        Assert.Empty(noise.Learn(Endpoint, probe));
        Assert.Equal(["$.lines[*].trace", "$.requestId", "header:ETag"], noise.PathsOf(Endpoint));
        Assert.Empty(noise.PathsOf("GET /other"));
    }

    [Fact]
    public void RulesFor_ExcludeTheEndpointsNoise_OnlyOnThatEndpoint()
    {
        var noise = new LearnedNoise();
        noise.Load([new NoiseEntry(Endpoint, "$.requestId", DateTimeOffset.UnixEpoch), new NoiseEntry(Endpoint, "header:ETag", DateTimeOffset.UnixEpoch)]);
        var legacy = Json("""{"id":1,"requestId":"a"}""", etag: "\"1\"");
        var candidate = Json("""{"id":2,"requestId":"b"}""", etag: "\"2\"");

        var onNoisyEndpoint = ResponseComparer.Compare(legacy, candidate, noise.RulesFor(Endpoint, Rules));
        var elsewhere = ResponseComparer.Compare(legacy, candidate, noise.RulesFor("GET /other", Rules));

        Assert.Equal(["$.id"], onNoisyEndpoint.Differences.Select(d => d.Path));
        Assert.Equal(["header:ETag", "$.id", "$.requestId"], elsewhere.Differences.Select(d => d.Path));
        Assert.Same(noise.RulesFor(Endpoint, Rules), noise.RulesFor(Endpoint, Rules));
    }

    [Fact]
    public void StatusAndBodyNoise_TurnThoseComparisonsOff()
    {
        var noise = new LearnedNoise();
        var text = new CapturedResponse(200, new Dictionary<string, string> { ["Content-Type"] = "text/plain" }, Encoding.UTF8.GetBytes("at 10:01"));
        var later = text with { Status = 203, Body = Encoding.UTF8.GetBytes("at 10:02") };
        noise.Learn(Endpoint, ResponseComparer.Compare(text, later, Rules));

        var rules = noise.RulesFor(Endpoint, Rules);

        Assert.True(rules.IgnoreStatus);
        Assert.True(rules.IgnoreBody);
        Assert.True(ResponseComparer.Compare(text, later with { Body = Encoding.UTF8.GetBytes("anything") }, rules).IsEqual);
    }

    [Fact]
    public void Learn_IsBoundedPerEndpoint()
    {
        var noise = new LearnedNoise();
        var entries = Enumerable.Range(0, DivergenceLimits.NoisePerEndpoint + 50).Select(i => new NoiseEntry(Endpoint, $"$.f{i}", DateTimeOffset.UnixEpoch));

        noise.Load(entries);

        Assert.Equal(DivergenceLimits.NoisePerEndpoint, noise.PathsOf(Endpoint).Count);
    }
}
