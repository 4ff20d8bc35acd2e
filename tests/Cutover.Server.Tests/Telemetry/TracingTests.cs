using System.Diagnostics;
using System.Net.Http.Json;
using Cutover.Core.Telemetry;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Telemetry;

/// <summary>
/// With tracing on, each proxied request, shadow copy and rollout decision is an activity of the
/// Cutover source with its tags, and the backend is told the trace context of Cutover's own span.
/// </summary>
public sealed class TracingTests
{
    private const string ClientTraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string ClientTraceparent = "00-" + ClientTraceId + "-b7ad6b7169203331-01";

    [Fact]
    public async Task Proxy_WithTracing_RecordsTheRequestTaggedWithMigrationSideAndMode()
    {
        var traces = new TracedProxy();
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("traced-canary", mode: "canary", weight: 100), options: traces.Options);

        Assert.Equal("candidate", await proxy.SideOfAsync("ada"));

        var activity = Assert.Single(await traces.ActivitiesAsync(CutoverActivities.Proxy, "traced-canary"));
        Assert.Equal("candidate", activity.GetTagItem(CutoverActivities.SideTag));
        Assert.Equal("canary", activity.GetTagItem(CutoverActivities.ModeTag));
        Assert.Equal(false, activity.GetTagItem(CutoverActivities.MirroredTag));
    }

    [Fact]
    public async Task Proxy_WithTracing_TellsTheBackendTheTraceContextOfCutoversSpan()
    {
        var traces = new TracedProxy();
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("traced-context"), options: traces.Options);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo-headers");
        request.Headers.Add("traceparent", ClientTraceparent);

        using var response = await proxy.Proxy.SendAsync(request);
        var seen = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;

        var activity = Assert.Single(await traces.ActivitiesAsync(CutoverActivities.Proxy, "traced-context"));
        Assert.Equal(ClientTraceId, activity.TraceId.ToHexString());
        var parts = seen["traceparent"].Split('-');
        Assert.Equal(ClientTraceId, parts[1]);
        Assert.Equal("01", parts[3]);
        Assert.Contains(activity.SpanId, Ancestors(traces, parts[2]));
    }

    [Fact]
    public async Task Proxy_MirroredWithTracing_TagsTheRequestMirroredAndTracesTheCopyInItsTrace()
    {
        var traces = new TracedProxy();
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("traced-shadow", mode: "shadow"), options: traces.Options);

        Assert.Equal("legacy", await proxy.SideOfAsync("ada"));

        var request = Assert.Single(await traces.ActivitiesAsync(CutoverActivities.Proxy, "traced-shadow"));
        Assert.Equal("legacy", request.GetTagItem(CutoverActivities.SideTag));
        Assert.Equal("shadow", request.GetTagItem(CutoverActivities.ModeTag));
        Assert.Equal(true, request.GetTagItem(CutoverActivities.MirroredTag));
        var copy = Assert.Single(await traces.ActivitiesAsync(CutoverActivities.Shadow, "traced-shadow"));
        Assert.Equal("candidate", copy.GetTagItem(CutoverActivities.SideTag));
        Assert.Equal(true, copy.GetTagItem(CutoverActivities.MirroredTag));
        Assert.Equal(request.TraceId, copy.TraceId);
        Assert.Equal(request.SpanId, copy.ParentSpanId);
    }

    [Fact]
    public async Task RolloutDecisions_WithTracing_AreActivitiesTaggedWithWhatWasDecided()
    {
        var traces = new TracedProxy();
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(
            backends.Migration("traced-plan", extra: "plan: { steps: [ { weight: 10 }, { pause: {} } ] }"), options: traces.Options);

        await proxy.PostAsync("traced-plan", "promote", new PromoteRequest(Force: true, Reason: "go", Actor: "ada"));
        // The weight step has nothing to wait for: the orchestrator moves on to the pause by itself.
        await traces.ActivitiesAsync(CutoverActivities.RolloutDecision, "traced-plan", count: 2);
        await proxy.PostAsync("traced-plan", "rollback", new ActionRequest(Reason: "looks wrong", Actor: "ada"));

        var decisions = await traces.ActivitiesAsync(CutoverActivities.RolloutDecision, "traced-plan", count: 3);
        Assert.Equal(["start --force", "step", "rollback"], decisions.Select(a => a.GetTagItem("cutover.rollout.action")));
        Assert.Equal(["local (on behalf of ada)", "cutover", "local (on behalf of ada)"], decisions.Select(a => a.GetTagItem("cutover.actor")));
        Assert.Equal(["canary", "canary", "legacy"], decisions.Select(a => a.GetTagItem(CutoverActivities.ModeTag)));
        Assert.Equal([10.0, 10.0, 0.0], decisions.Select(a => a.GetTagItem("cutover.weight")));
        Assert.Equal("looks wrong", decisions[2].GetTagItem("cutover.rollout.reason"));
    }

    /// <summary>The span <paramref name="spanId"/> and its exported ancestors.</summary>
    private static IEnumerable<ActivitySpanId> Ancestors(TracedProxy traces, string spanId)
    {
        var byId = traces.All().ToDictionary(a => a.SpanId);
        for (var id = ActivitySpanId.CreateFromString(spanId); byId.TryGetValue(id, out var activity); id = activity.ParentSpanId)
        {
            yield return id;
        }
    }
}
