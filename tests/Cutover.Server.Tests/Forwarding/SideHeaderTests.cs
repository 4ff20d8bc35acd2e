using System.Net;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;

namespace Cutover.Server.Tests.Forwarding;

/// <summary><c>sideHeader: true</c>: every answer names the side that served it, Cutover's own 502 and 504 too; off, none does.</summary>
public sealed class SideHeaderTests
{
    [Theory]
    [InlineData("legacy", "legacy")]
    [InlineData("candidate", "candidate")]
    [InlineData("shadow", "legacy")]
    public async Task Forward_SideHeaderOn_NamesTheServingSide(string mode, string side)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: mode, extra: "sideHeader: true"));

        using var response = await proxy.Proxy.GetAsync("/");

        Assert.Equal(side, Assert.Single(response.Headers.GetValues("X-Backend")));
        Assert.Equal(side, Assert.Single(response.Headers.GetValues("Cutover-Side")));
    }

    [Fact]
    public async Task Forward_SideHeaderOff_NamesNoSide()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate"));

        using var response = await proxy.Proxy.GetAsync("/");

        Assert.Equal("candidate", Assert.Single(response.Headers.GetValues("X-Backend")));
        Assert.False(response.Headers.Contains("Cutover-Side"));
    }

    [Fact]
    public async Task Forward_SideHeaderOnWithUnansweredCounting_NamesTheServingSide()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate", extra: "sideHeader: true\n    errors: { unansweredAfter: 5s }"));

        using var response = await proxy.Proxy.GetAsync("/");

        Assert.Equal("candidate", Assert.Single(response.Headers.GetValues("Cutover-Side")));
    }

    [Fact]
    public async Task Forward_BackendSendsItsOwnSideHeader_CutoversReplacesIt()
    {
        await using var legacy = await ScriptedBackend.StartAsync(context =>
        {
            context.Response.Headers["Cutover-Side"] = "candidate";
            return ScriptedBackend.Json(context, "{}");
        });
        await using var proxy = await ProxyUnderTest.StartAsync($"""
              - name: orders
                match: {"{"} pathPrefix: / {"}"}
                legacy: {legacy.Url}
                candidate: http://127.0.0.1:{LoopbackPorts.Refusing()}
                sideHeader: true
            """);

        using var response = await proxy.Proxy.GetAsync("/");

        Assert.Equal("legacy", Assert.Single(response.Headers.GetValues("Cutover-Side")));
    }

    [Fact]
    public async Task Forward_SideDown_TheProblemAnswerNamesTheSide()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var proxy = await ProxyUnderTest.StartAsync($"""
              - name: orders
                match: {"{"} pathPrefix: / {"}"}
                legacy: {legacy.Url}
                candidate: http://127.0.0.1:{LoopbackPorts.Refusing()}
                mode: candidate
                sideHeader: true
            """);

        using var response = await proxy.Proxy.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("candidate", Assert.Single(response.Headers.GetValues("Cutover-Side")));
    }

    [Fact]
    public async Task Forward_ForcedToADownSide_TheProblemAnswerNamesTheForcedSide()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var proxy = await ProxyUnderTest.StartAsync($"""
              - name: orders
                match: {"{"} pathPrefix: / {"}"}
                legacy: {legacy.Url}
                candidate: http://127.0.0.1:{LoopbackPorts.Refusing()}
                sideHeader: true
                override: {"{"} header: Cutover-Route {"}"}
            """);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cutover-Route", "candidate");
        using var response = await proxy.Proxy.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("candidate", Assert.Single(response.Headers.GetValues("Cutover-Side")));
        Assert.Equal(1, (await proxy.MigrationAsync("orders")).Stats.Overridden.CandidateErrors);
    }
}
