using System.Text;
using System.Text.Json;
using Cutover.Core.Comparison;
using Cutover.Core.Shadow;

namespace Cutover.Core.Tests.Shadow;

public sealed class RedactionTests
{
    private static readonly Redaction Fields = new(["X-Api-Key"], ["password", "token"], [JsonPathPattern.Parse("$.card.number"), JsonPathPattern.Parse("$.users[*].ssn")]);

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Headers_MaskCredentialsAlwaysAndConfiguredOnes_InAnyCase()
    {
        var headers = Redaction.Default.Headers([new("authorization", "Bearer x"), new("Cookie", "a=b"), new("Set-Cookie", "c=d"), new("Accept", "*/*")]);
        Assert.Equal(Redaction.Mask, headers["Authorization"]);
        Assert.Equal(Redaction.Mask, headers["cookie"]);
        Assert.Equal(Redaction.Mask, headers["set-cookie"]);
        Assert.Equal("*/*", headers["Accept"]);

        Assert.Equal(Redaction.Mask, Fields.Headers([new("x-api-key", "k")])["X-Api-Key"]);
        Assert.Equal("k", Redaction.Default.Headers([new("x-api-key", "k")])["X-Api-Key"]);
    }

    [Fact]
    public void Body_MasksNamedFieldsAtAnyDepth_AndPaths()
    {
        var (text, truncated) = Fields.Body(Utf8("""
            {"user":{"name":"a","password":"p1"},"password":"p2","card":{"number":"4111","expiry":"12/30"},
             "users":[{"ssn":"1","id":1},{"ssn":"2","id":2}],"list":[{"token":"t"}]}
            """), "application/json", truncated: false);

        var root = JsonDocument.Parse(text).RootElement;
        Assert.False(truncated);
        Assert.Equal(Redaction.Mask, root.GetProperty("user").GetProperty("password").GetString());
        Assert.Equal("a", root.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(Redaction.Mask, root.GetProperty("password").GetString());
        Assert.Equal(Redaction.Mask, root.GetProperty("card").GetProperty("number").GetString());
        Assert.Equal("12/30", root.GetProperty("card").GetProperty("expiry").GetString());
        Assert.All(root.GetProperty("users").EnumerateArray(), u => Assert.Equal(Redaction.Mask, u.GetProperty("ssn").GetString()));
        Assert.Equal(Redaction.Mask, root.GetProperty("list")[0].GetProperty("token").GetString());
        Assert.DoesNotContain("4111", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_WithFieldsNamed_WithholdsWhatCannotBeParsed()
    {
        var (cut, _) = Fields.Body(Utf8("""{"password":"p"""), "application/json", truncated: true);
        var (notJson, _) = Fields.Body(Utf8("password=p"), "text/plain", truncated: false);

        Assert.Contains("withheld", cut, StringComparison.Ordinal);
        Assert.Contains("withheld", notJson, StringComparison.Ordinal);
        Assert.DoesNotContain("p\"", cut, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_WithoutFields_KeepsTextAsIs_AndDescribesBinary()
    {
        Assert.Equal(("hello", false), Redaction.Default.Body(Utf8("hello"), "text/plain", truncated: false));
        var (binary, _) = Redaction.Default.Body(new byte[] { 1, 2, 3 }, "application/octet-stream", truncated: false);
        Assert.StartsWith("[3 bytes of application/octet-stream, sha256 ", binary, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_LongerThanASampleKeeps_IsCut()
    {
        var (text, truncated) = Redaction.Default.Body(Utf8(new string('a', DivergenceLimits.SampleBodyBytes + 10)), "text/plain", truncated: false);

        Assert.True(truncated);
        Assert.Equal(DivergenceLimits.SampleBodyBytes, text.Length);
    }

    [Fact]
    public void Target_MasksQueryParametersNamedAsFields()
    {
        Assert.Equal("/login?user=a&password=%5Bredacted%5D&token=%5Bredacted%5D", Fields.Target("/login?user=a&password=secret&token=t"));
        Assert.Equal("/plain", Fields.Target("/plain"));
    }

    [Theory]
    [InlineData("$.user.password", true)]
    [InlineData("$.card.number", true)]
    [InlineData("$.card.number.last4", true)]
    [InlineData("$.users[3].ssn", true)]
    [InlineData("$.card.expiry", false)]
    [InlineData("header:X-Api-Key", true)]
    [InlineData("header:Content-Type", false)]
    [InlineData("status", false)]
    public void Difference_MasksValuesAtRedactedPaths(string path, bool masked)
    {
        var difference = Fields.Difference(new Difference(path, DifferenceKind.ValueChanged, "\"a\"", "\"b\""));

        Assert.Equal(masked ? Redaction.Mask : "\"a\"", difference.Legacy);
        Assert.Equal(masked ? Redaction.Mask : "\"b\"", difference.Candidate);
    }

    [Fact]
    public void Difference_KeepsWhichSideHasNoValue()
    {
        var difference = Fields.Difference(new Difference("$.password", DifferenceKind.Missing, "\"p\"", null));

        Assert.Equal(Redaction.Mask, difference.Legacy);
        Assert.Null(difference.Candidate);
    }
}
