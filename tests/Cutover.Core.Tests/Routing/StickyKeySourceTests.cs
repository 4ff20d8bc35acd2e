using Cutover.Core.Routing;

namespace Cutover.Core.Tests.Routing;

public class StickyKeySourceTests
{
    [Theory]
    [InlineData("header:X-User-Id", StickyKeyKind.Header, "X-User-Id")]
    [InlineData("cookie:session", StickyKeyKind.NamedCookie, "session")]
    [InlineData("query:uid", StickyKeyKind.Query, "uid")]
    [InlineData("client-ip", StickyKeyKind.ClientIp, "")]
    [InlineData(null, StickyKeyKind.Cookie, StickyKeySource.CutoverCookieName)]
    public void TryParse_EachForm_GivesKindAndName(string? text, StickyKeyKind kind, string name)
    {
        var source = StickyKeySource.TryParse(text);

        Assert.Equal(new StickyKeySource(kind, name), source);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("header:")]
    [InlineData("body:id")]
    [InlineData("header:X User")]
    public void TryParse_Malformed_IsNull(string text) => Assert.Null(StickyKeySource.TryParse(text));
}
