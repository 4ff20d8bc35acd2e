using System.Diagnostics;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Core.Telemetry;
using Cutover.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Cutover.Backfill.Tests.Copying;

/// <summary>With a tracer listening, each batch a run copies is an activity of the Cutover source, tagged with its job and rows.</summary>
public sealed class BatchTracingTests
{
    [Fact]
    public async Task RunAsync_WithATracer_RecordsEachBatchWithItsJobAndRows()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var exported = new ExportedActivities();
        using var test = new ActivitySource(nameof(BatchTracingTests));
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(CutoverActivities.SourceName, test.Name).AddInMemoryExporter(exported).Build();

        ActivitySpanId run;
        // Other tests' batches are exported too: this run's are the children of its own activity.
        using (var parent = test.StartActivity("run")!)
        {
            run = parent.SpanId;
            await scenario.Runner().RunAsync(scenario.Job(batchSize: 10), restart: false);
        }

        var batches = exported.Snapshot().Where(a => a.ParentSpanId == run).ToList();
        Assert.All(batches, b => Assert.Equal((CutoverActivities.BackfillBatch, "customers"), (b.OperationName, (string?)b.GetTagItem(BatchActivity.JobTag))));
        Assert.Equal([10, 10, 5], batches.Select(b => b.GetTagItem(BatchActivity.ReadTag)));
        Assert.Equal([10, 10, 5], batches.Select(b => b.GetTagItem(BatchActivity.WrittenTag)));
    }
}
