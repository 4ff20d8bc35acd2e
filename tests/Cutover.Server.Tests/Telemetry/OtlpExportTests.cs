using Cutover.Core.Telemetry;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Telemetry;

/// <summary>The <c>telemetry</c> section: traces and metrics go to a collector over OTLP/HTTP, and with no section nothing is sent anywhere.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Serve_WithAnOtlpEndpoint_ExportsTheRequestsTraceAndTheCountersToTheCollector()
    {
        await using var collector = await ScriptedBackend.StartAsync(_ => Task.CompletedTask);
        await using var backends = await Backends.StartAsync();
        var proxy = await ProxyUnderTest.StartAsync(backends.Migration("exported-orders"), topLevel: $"telemetry: {{ otlp: '{collector.Url}/' }}");

        Assert.Equal("legacy", await proxy.SideOfAsync("ada"));
        // Stopping flushes what is batched: the traces and a last collection of the counters.
        await proxy.DisposeAsync();

        var traces = collector.Seen.Where(r => r.Target == "/v1/traces").ToList();
        var metrics = collector.Seen.Where(r => r.Target == "/v1/metrics").ToList();
        Assert.All(traces.Concat(metrics), r => Assert.Equal(("POST", "application/x-protobuf"), (r.Method, r.Headers["Content-Type"])));
        Assert.Contains(traces, r => r.Body.Contains(CutoverActivities.Proxy, StringComparison.Ordinal) && r.Body.Contains("exported-orders", StringComparison.Ordinal));
        Assert.Contains(metrics, r => r.Body.Contains("cutover.requests", StringComparison.Ordinal) && r.Body.Contains("exported-orders", StringComparison.Ordinal));
    }
}
