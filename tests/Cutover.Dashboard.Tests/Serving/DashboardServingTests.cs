using System.Net;
using Cutover.Dashboard.Tests.Infrastructure;

namespace Cutover.Dashboard.Tests.Serving;

/// <summary>The page and its files as the admin listener serves them: no data, strict headers, revalidated by ETag.</summary>
public sealed class DashboardServingTests
{
    [Fact]
    public async Task Page_ServedAtTheRoot_WithAPolicyThatRunsOnlyItsOwnFiles()
    {
        await using var host = await DashboardHost.StartAsync();

        using var page = await host.Admin.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("""<script type="module" src="/ui/app.js"></script>""", html, StringComparison.Ordinal);
        Assert.DoesNotContain("orders", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asset_AskedAgainWithItsETag_IsNotSentAgain()
    {
        await using var host = await DashboardHost.StartAsync();

        using var first = await host.Admin.GetAsync("/ui/app.js");
        Assert.Equal("text/javascript", first.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", first.Headers.CacheControl!.ToString());
        using var again = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await host.Admin.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task UnknownFile_IsA404ThatPointsAtThePage()
    {
        await using var host = await DashboardHost.StartAsync();

        using var response = await host.Admin.GetAsync("/ui/nope.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("open the dashboard at /", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
