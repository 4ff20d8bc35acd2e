using System.Net;
using System.Text;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Forwarding;

/// <summary>
/// A migration's <c>failover</c>: a request the candidate fails before any byte of its answer
/// reached the user is sent to legacy, whose answer the user gets; everything else reaches the
/// user as before. The candidate's failure is counted all the same.
/// </summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task Failover_CandidateRefusesConnections_UserGetsLegacysAnswerAndTheFailureCountsAsRescuedAndAsAnError()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, $"http://127.0.0.1:{LoopbackPorts.Refusing()}", "failover: true"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("legacy", await response.Content.ReadAsStringAsync());
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal((1L, 1L, 1L), (view.Stats.Candidate.Requests, view.Stats.Candidate.Errors, view.Stats.Candidate.Rescued));
        Assert.Equal((1L, 0L), (view.Stats.Legacy.Requests, view.Stats.Legacy.Errors));
        Assert.Contains("cutover_failover_rescued_total{migration=\"orders\"} 1\n", await proxy.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_Off_CandidateRefusingConnectionsGives502()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, $"http://127.0.0.1:{LoopbackPorts.Refusing()}", "failover: false"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, legacy.Requests);
        Assert.Equal(0L, (await proxy.MigrationAsync("orders")).Stats.Candidate.Rescued);
    }

    [Fact]
    public async Task Failover_CandidateSilentPastItsTimeout_UserGetsLegacysAnswer()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var candidate = await ScriptedBackend.StartAsync(async context =>
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, candidate.Url, "failover: true", "timeouts: { candidate: 300ms }"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("legacy", await response.Content.ReadAsStringAsync());
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal((1L, 1L), (view.Stats.Candidate.Errors, view.Stats.Candidate.Rescued));
    }

    [Fact]
    public async Task Failover_OptedInStatus_UserGetsLegacysAnswerWithoutAnyOfTheCandidatesHeaders()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var candidate = await ScriptedBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 503;
            context.Response.Headers["X-Candidate-Only"] = "1";
            return context.Response.WriteAsync("down for maintenance");
        });
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, candidate.Url, "failover: { statuses: [502-504] }"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("legacy", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Candidate-Only"));
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal((1L, 1L), (view.Stats.Candidate.Errors, view.Stats.Candidate.Rescued));
    }

    [Fact]
    public async Task Failover_StatusNotOptedIn_ReachesTheUser()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var candidate = await ScriptedBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 503;
            return context.Response.WriteAsync("candidate says no");
        });
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, candidate.Url, "failover: true"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("candidate says no", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, legacy.Requests);
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal((1L, 0L), (view.Stats.Candidate.Errors, view.Stats.Candidate.Rescued));
    }

    [Fact]
    public async Task Failover_GrpcUnavailableInTheHeaders_IsReplayedOnlyWhenAskedFor()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var candidate = await ScriptedBackend.StartAsync(context =>
        {
            // A trailers-only answer: the gRPC status in the headers, no message.
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "14";
            context.Response.Headers["grpc-message"] = "shutting down";
            return Task.CompletedTask;
        });
        await using var asked = await ProxyUnderTest.StartAsync(Migration(legacy.Url, candidate.Url, "failover: { grpcUnavailable: true }"));
        await using var notAsked = await ProxyUnderTest.StartAsync(Migration(legacy.Url, candidate.Url, "failover: true"));

        using var replayed = await asked.Proxy.PostAsync("/orders.v1.Orders/Get", new ByteArrayContent([0, 0, 0, 0, 0]));
        using var passedOn = await notAsked.Proxy.PostAsync("/orders.v1.Orders/Get", new ByteArrayContent([0, 0, 0, 0, 0]));

        Assert.Equal("legacy", await replayed.Content.ReadAsStringAsync());
        Assert.Equal(1L, (await asked.MigrationAsync("orders")).Stats.Candidate.Errors);
        Assert.Equal("14", Assert.Single(passedOn.Headers.GetValues("grpc-status")));
        Assert.Equal(1, legacy.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failover_PostWithinTheLimitThatTheCandidateReadAndDropped_IsReplayedToLegacyByteForByte(bool chunked)
    {
        await using var legacy = await ScriptedBackend.StartAsync(context => context.Response.WriteAsync("stored by legacy"));
        await using var candidate = await ScriptedBackend.StartAsync(context =>
        {
            // The scripted backend has read the whole body; the candidate dies before answering.
            context.Abort();
            return Task.CompletedTask;
        });
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, candidate.Url, "failover: { maxBodyBytes: 100000 }"));
        var body = RandomText(90_000);

        using var response = await proxy.Proxy.PostAsync("/orders", Content(body, chunked));

        Assert.Equal("stored by legacy", await response.Content.ReadAsStringAsync());
        Assert.Equal(body, Assert.Single(candidate.Seen).Body);
        var replayed = Assert.Single(legacy.Seen);
        Assert.Equal(("POST", "/orders"), (replayed.Method, replayed.Target));
        Assert.Equal(body, replayed.Body);
        Assert.Equal(1L, (await proxy.MigrationAsync("orders")).Stats.Candidate.Rescued);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failover_OptedInStatusAnsweredBeforeTheBodyWasRead_ReplaysTheWholeBody(bool chunked)
    {
        await using var legacy = await ScriptedBackend.StartAsync(context => context.Response.WriteAsync("stored by legacy"));
        var app = await StartEarlyRefusingCandidateAsync();
        await using var candidate = app;
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, app.Urls.First(), "failover: { statuses: [503] }"));
        var body = RandomText(60_000);

        using var response = await proxy.Proxy.PostAsync("/orders", Content(body, chunked));

        Assert.Equal("stored by legacy", await response.Content.ReadAsStringAsync());
        Assert.Equal(body, Assert.Single(legacy.Seen).Body);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failover_PostOverTheLimit_IsNotReplayedAndTheUserGets502(bool chunked)
    {
        await using var legacy = await ScriptedBackend.StartAsync(context => context.Response.WriteAsync("stored by legacy"));
        await using var candidate = await ScriptedBackend.StartAsync(context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, candidate.Url, "failover: { maxBodyBytes: 1024 }"));

        using var response = await proxy.Proxy.PostAsync("/orders", Content(RandomText(4096), chunked));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(legacy.Seen);
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal((1L, 0L), (view.Stats.Candidate.Errors, view.Stats.Candidate.Rescued));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failover_NoBodyKept_ReplaysOnlyRequestsWithoutABody(bool chunked)
    {
        await using var legacy = await ScriptedBackend.StartAsync(context => context.Response.WriteAsync("legacy"));
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, $"http://127.0.0.1:{LoopbackPorts.Refusing()}", "failover: { maxBodyBytes: 0 }"));

        using var get = await proxy.Proxy.GetAsync("/orders/1");
        using var post = await proxy.Proxy.PostAsync("/orders", Content("x", chunked));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.BadGateway), (get.StatusCode, post.StatusCode));
        Assert.Equal("GET", Assert.Single(legacy.Seen).Method);
    }

    [Fact]
    public async Task Failover_CandidateThatBeganItsAnswerAndDied_IsNotReplayed()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var candidate = await ScriptedBackend.StartAsync(async context =>
        {
            context.Response.ContentLength = 1000;
            await context.Response.WriteAsync("the first bytes");
            await context.Response.Body.FlushAsync();
            await Task.Delay(100);
            context.Abort();
        });
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, candidate.Url, "failover: { statuses: [5xx] }"));

        using var response = await proxy.Proxy.GetAsync("/orders/1", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync());
        Assert.Equal(0, legacy.Requests);
        Assert.Equal(0L, (await proxy.MigrationAsync("orders")).Stats.Candidate.Rescued);
    }

    [Fact]
    public async Task Failover_HealthyCandidate_AnswersAndLegacyIsNotAsked()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate", extra: "failover: { statuses: [503] }"));

        using var get = await proxy.Proxy.GetAsync("/orders/1");
        using var post = await proxy.Proxy.PostAsync("/upload", new ByteArrayContent(new byte[200_000]));

        Assert.Equal("candidate", await get.Content.ReadAsStringAsync());
        Assert.Equal("200000", await post.Content.ReadAsStringAsync());
        Assert.Equal(0, backends.Legacy.Requests);
    }

    /// <summary>A candidate that answers 503 at once, reading none of the request body.</summary>
    private static async Task<WebApplication> StartEarlyRefusingCandidateAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            context.Response.StatusCode = 503;
            await context.Response.CompleteAsync();
        });
        await app.StartAsync();
        return app;
    }

    private static string Migration(string legacy, string candidate, params string[] keys) => $$"""
          - name: orders
            match: { pathPrefix: / }
            legacy: {{legacy}}
            candidate: {{candidate}}
            mode: candidate
        {{string.Join('\n', keys.Select(k => "    " + k))}}
        """;

    private static HttpContent Content(string text, bool chunked) => chunked
        ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(text)))
        : new StringContent(text);

    private static string RandomText(int length)
    {
        var random = new Random(length);
        return string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)r.Next('a', 'z' + 1);
            }
        });
    }
}
