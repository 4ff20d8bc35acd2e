using System.Text;
using Cutover.Core.Comparison;
using Cutover.Kernel.Comparison;

namespace Cutover.Core.Tests.Comparison;

public class ResponseComparerTests
{
    [Fact]
    public void Compare_SameJsonDifferentFormatting_IsEqual()
    {
        var result = ResponseComparer.Compare(Json("""{"a": 1, "b": [1, 2]}"""), Json("""{"b":[1,2],"a":1}"""), ResponseRules.Default);

        Assert.True(result.IsEqual);
    }

    [Fact]
    public void Compare_StatusHeaderAndJsonBody_AreEachReported()
    {
        var legacy = Json("""{"id":1}""", status: 200, extra: ("ETag", "\"v1\""));
        var candidate = Json("""{"id":2}""", status: 201, extra: ("ETag", "\"v2\""));

        var result = ResponseComparer.Compare(legacy, candidate, ResponseRules.Default with { Headers = ["Content-Type", "ETag"] });

        Assert.Equal(
        [
            new Difference("status", DifferenceKind.ValueChanged, "200", "201"),
            new Difference("header:ETag", DifferenceKind.ValueChanged, "\"v1\"", "\"v2\""),
            new Difference("$.id", DifferenceKind.ValueChanged, "1", "2"),
        ], result.Differences);
    }

    [Fact]
    public void Compare_HeaderNotChosen_IsNotCompared()
    {
        var result = ResponseComparer.Compare(Json("{}", extra: ("Date", "Mon")), Json("{}", extra: ("Date", "Tue")), ResponseRules.Default);

        Assert.True(result.IsEqual);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Compare_TextWithOtherWhitespace_IsEqualOnlyWhenNormalised(bool normalize, bool equal)
    {
        var result = ResponseComparer.Compare(Body("text/plain", "hello   world\n"), Body("text/plain", "hello world"), ResponseRules.Default with { NormalizeWhitespace = normalize });

        Assert.Equal(equal, result.IsEqual);
    }

    [Fact]
    public void Compare_CandidateAnswersGarbageForJson_IsATextDifference()
    {
        var result = ResponseComparer.Compare(Json("""{"id":1}"""), Json("<html>oops"), ResponseRules.Default);

        Assert.Equal(new Difference("body", DifferenceKind.ValueChanged, """{"id":1}""", "<html>oops"), Assert.Single(result.Differences));
    }

    [Fact]
    public void Compare_BinaryBodies_ByLengthAndHash()
    {
        var result = ResponseComparer.Compare(Body("image/png", "\u0001\u0002"), Body("image/png", "\u0001\u0003"), ResponseRules.Default);

        var difference = Assert.Single(result.Differences);
        Assert.Equal("body", difference.Path);
        Assert.StartsWith("2 bytes, sha256 ", difference.Legacy, StringComparison.Ordinal);
        Assert.NotEqual(difference.Legacy, difference.Candidate);
    }

    [Fact]
    public void Compare_TruncatedBody_IsComparedByBytesAndMarked()
    {
        var candidate = Json("""{"id":1""") with { Truncated = true };

        var difference = Assert.Single(ResponseComparer.Compare(Json("""{"id":1}"""), candidate, ResponseRules.Default).Differences);

        Assert.StartsWith("7+ bytes", difference.Candidate, StringComparison.Ordinal);
    }

    private static CapturedResponse Json(string body, int status = 200, (string Name, string Value)? extra = null) =>
        Body("application/json; charset=utf-8", body, status, extra);

    private static CapturedResponse Body(string contentType, string body, int status = 200, (string Name, string Value)? extra = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = contentType };
        if (extra is { } header)
        {
            headers[header.Name] = header.Value;
        }

        return new CapturedResponse(status, headers, Encoding.UTF8.GetBytes(body));
    }
}
