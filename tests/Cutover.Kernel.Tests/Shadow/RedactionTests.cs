using System.Text;
using System.Text.Json;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Shadow;

namespace Cutover.Kernel.Tests.Shadow;

public sealed class RedactionTests
{
    private static readonly Redaction Fields = new(["X-Signature"], ["password", "token", "iban"], [JsonPathPattern.Parse("$.card.number"), JsonPathPattern.Parse("$.users[*].ssn")]);

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Headers_MaskCredentialsAlwaysAndConfiguredOnes_InAnyCase()
    {
        var headers = Redaction.Default.Headers([
            new("authorization", "Bearer x"), new("Proxy-Authorization", "Basic y"), new("Cookie", "a=b"), new("Set-Cookie", "c=d"),
            new("x-auth-token", "t"), new("X-API-KEY", "k"), new("Accept", "*/*")]);
        Assert.Equal(Redaction.Mask, headers["Authorization"]);
        Assert.Equal(Redaction.Mask, headers["proxy-authorization"]);
        Assert.Equal(Redaction.Mask, headers["cookie"]);
        Assert.Equal(Redaction.Mask, headers["set-cookie"]);
        Assert.Equal(Redaction.Mask, headers["X-Auth-Token"]);
        Assert.Equal(Redaction.Mask, headers["X-Api-Key"]);
        Assert.Equal("*/*", headers["Accept"]);

        Assert.Equal(Redaction.Mask, Fields.Headers([new("x-signature", "s")])["X-Signature"]);
        Assert.Equal("s", Redaction.Default.Headers([new("x-signature", "s")])["X-Signature"]);
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
    public void Body_DefaultNamesInAnyCase_AreMaskedAtAnyDepthAndInArraysOfObjects()
    {
        var (text, _) = Redaction.Default.Body(Utf8("""
            {"user":{"name":"ann","Password":"p1","profile":{"PASSWORD":"p2"}},
             "keys":[{"id":1,"ApiKey":"k1"},{"id":2,"api_key":"k2"}],
             "access_token":"a","Refresh_Token":"r","client_secret":"c","secret":"s","TOKEN":"t","nextToken":"n"}
            """), "application/json", truncated: false);

        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal(Redaction.Mask, root.GetProperty("user").GetProperty("Password").GetString());
        Assert.Equal(Redaction.Mask, root.GetProperty("user").GetProperty("profile").GetProperty("PASSWORD").GetString());
        Assert.Equal("ann", root.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal([Redaction.Mask, Redaction.Mask], root.GetProperty("keys").EnumerateArray().Select(k => k.EnumerateObject().Last().Value.GetString()));
        Assert.Equal([1, 2], root.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("id").GetInt32()));
        foreach (var name in new[] { "access_token", "Refresh_Token", "client_secret", "secret", "TOKEN" })
        {
            Assert.Equal(Redaction.Mask, root.GetProperty(name).GetString());
        }

        Assert.Equal("n", root.GetProperty("nextToken").GetString());
        Assert.DoesNotContain("p1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("k2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_FieldsTheMigrationNames_MatchIgnoringCase()
    {
        var (text, _) = Fields.Body(Utf8("""{"account":{"IBAN":"DE89370400440532013000","Iban":"x","owner":"ann"}}"""), "application/json", truncated: false);

        Assert.Equal("""{"account":{"IBAN":"[redacted]","Iban":"[redacted]","owner":"ann"}}""", text);
    }

    [Fact]
    public void Body_JsonWithNothingToMask_IsKeptAsWritten()
    {
        const string Json = "{ \"name\": \"Zoë\",\n  \"note\": \"wrong password\" }";

        Assert.Equal((Json, false), Redaction.Default.Body(Utf8(Json), "application/json", truncated: false));
    }

    [Fact]
    public void Body_Form_MasksRedactedFieldsByName()
    {
        var (text, _) = Redaction.Default.Body(Utf8("user=ann&Password=hunter2&access%5Ftoken=t&note=a+b"), "application/x-www-form-urlencoded", truncated: false);

        Assert.Equal("user=ann&Password=[redacted]&access%5Ftoken=[redacted]&note=a+b", text);
    }

    [Theory]
    [InlineData("""{"token":"abc""", "application/json", true, "'token'")]
    [InlineData("login failed for password hunter2", "text/plain", false, "'password'")]
    [InlineData("<login><Password>hunter2</Password></login>", "application/xml", false, "'password'")]
    [InlineData("password=hunter2", "application/x-www-form-urlencoded", true, "'password'")]
    public void Body_TextThatMentionsADefaultNameAndCannotBeRead_IsWithheld(string body, string mediaType, bool truncated, string named)
    {
        var (text, _) = Redaction.Default.Body(Utf8(body), mediaType, truncated);

        Assert.StartsWith($"[{body.Length}{(truncated ? "+" : string.Empty)} bytes withheld: it mentions {named}, which is redacted", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", text, StringComparison.Ordinal);
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
        Assert.Equal("/login?user=a&password=[redacted]&IBAN=[redacted]", Fields.Target("/login?user=a&password=secret&IBAN=DE89"));
        Assert.Equal("/plain", Fields.Target("/plain"));
    }

    [Theory]
    [InlineData("/search?token=abc&page=2", "/search?token=[redacted]&page=2")]
    [InlineData("/cb?Access_Token=a&REFRESH_TOKEN=r&apiKey=k&ApiKey=k&api_key=k&client_secret=c&Password=p&secret=s",
        "/cb?Access_Token=[redacted]&REFRESH_TOKEN=[redacted]&apiKey=[redacted]&ApiKey=[redacted]&api_key=[redacted]&client_secret=[redacted]&Password=[redacted]&secret=[redacted]")]
    [InlineData("/cb?access%5Ftoken=a&access%5ftoken=b", "/cb?access%5Ftoken=[redacted]&access%5ftoken=[redacted]")]
    [InlineData("/list?page=2&tokens=3&token", "/list?page=2&tokens=3&token")]
    [InlineData("/list?page=2", "/list?page=2")]
    public void Target_DefaultNames_AreMaskedInAnyCaseAndEncoding(string target, string expected) =>
        Assert.Equal(expected, Redaction.Default.Target(target));

    [Theory]
    [InlineData("$.user.password", true)]
    [InlineData("$.card.number", true)]
    [InlineData("$.card.number.last4", true)]
    [InlineData("$.users[3].ssn", true)]
    [InlineData("$.card.expiry", false)]
    [InlineData("$.user.PASSWORD", true)]
    [InlineData("$.accounts[0].Iban", true)]
    [InlineData("$.Card.number", false)]
    [InlineData("header:X-Signature", true)]
    [InlineData("header:x-auth-token", true)]
    [InlineData("header:Content-Type", false)]
    [InlineData("status", false)]
    public void Difference_MasksValuesAtRedactedPaths(string path, bool masked)
    {
        var difference = Fields.Difference(new Difference(path, DifferenceKind.ValueChanged, "\"a\"", "\"b\""));

        Assert.Equal(masked ? Redaction.Mask : "\"a\"", difference.Legacy);
        Assert.Equal(masked ? Redaction.Mask : "\"b\"", difference.Candidate);
    }

    [Theory]
    [InlineData("$.items[2].ApiKey", true)]
    [InlineData("$.session.refresh_token", true)]
    [InlineData("$.items[2].name", false)]
    public void Difference_WithoutFieldsNamed_MasksDefaultNamesInAnyCase(string path, bool masked)
    {
        var difference = Redaction.Default.Difference(new Difference(path, DifferenceKind.ValueChanged, "\"a\"", "\"b\""));

        Assert.Equal(masked ? (Redaction.Mask, Redaction.Mask) : ("\"a\"", "\"b\""), (difference.Legacy, difference.Candidate));
    }

    [Fact]
    public void Difference_ValueHoldingARedactedField_KeepsItsShapeWithTheFieldMasked()
    {
        var difference = Redaction.Default.Difference(new Difference("$.users[0]", DifferenceKind.Missing, """{"name":"ann","Credentials":{"Password":"hunter2"}}""", null));

        Assert.Equal("""{"name":"ann","Credentials":{"Password":"[redacted]"}}""", difference.Legacy);
        Assert.Null(difference.Candidate);
    }

    [Fact]
    public void Difference_ShortenedValueThatMentionsARedactedName_IsMaskedWhole()
    {
        var difference = Redaction.Default.Difference(new Difference("$.session", DifferenceKind.ValueChanged, """{"id":1,"token":"abc…""", """{"id":2}"""));

        Assert.Equal((Redaction.Mask, """{"id":2}"""), (difference.Legacy, difference.Candidate));
    }

    [Theory]
    [InlineData("password=hunter2", "password=hunter3", true)]
    [InlineData("hello", "hi", false)]
    public void Difference_OfATextBody_IsMaskedWhenItMentionsARedactedName(string legacy, string candidate, bool masked)
    {
        var difference = Redaction.Default.Difference(new Difference("body", DifferenceKind.ValueChanged, legacy, candidate));

        Assert.Equal(masked ? (Redaction.Mask, Redaction.Mask) : (legacy, candidate), (difference.Legacy, difference.Candidate));
    }

    [Fact]
    public void Difference_KeepsWhichSideHasNoValue()
    {
        var difference = Fields.Difference(new Difference("$.password", DifferenceKind.Missing, "\"p\"", null));

        Assert.Equal(Redaction.Mask, difference.Legacy);
        Assert.Null(difference.Candidate);
    }
}
