using System.Net;
using System.Text.Json;
using Cutover.Server.Admin;
using Cutover.Server.Settings;
using Cutover.Server.Shadow;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Shadow;

/// <summary>
/// Large legacy answers and a candidate that never answers: the copies waiting for it hold no
/// more than the byte budgets, the rest are dropped and counted, every user is served, and the
/// memory is given back once the candidate answers and the queue drains.
/// </summary>
[Collection(MeasuresProcessMemory.Name)]
public sealed class ShadowMemoryTests
{
    private const long MiB = 1024 * 1024;
    private const int Requests = 60;

    /// <summary>What the process may add to the bytes the copies hold (pooled buffers of the servers and clients, the store), beyond the baseline; about 10 MiB was measured.</summary>
    private const long Overhead = 16 * MiB;

    private static readonly byte[] Answer = Enumerable.Range(0, (int)(2 * MiB)).Select(i => (byte)(i * 31 % 251)).ToArray();

    [Fact]
    public async Task LargeAnswers_CandidateNeverAnswers_HeldBytesStayWithinMaxQueuedBytes_AndMemoryIsGivenBack()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var legacy = await ScriptedBackend.StartAsync(WriteAnswerAsync);
        await using var candidate = await StuckCandidateAsync(gate);
        await using var proxy = await ProxyUnderTest.StartAsync(
            ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { methods: [GET], maxQueuedBytes: 33554432, concurrency: 2, timeout: 60s }"),
            options: new CutoverHostOptions { LogLevel = LogLevel.Warning, ShadowMemoryBudget = 64 * MiB });
        // The same answers once without copies (POST is not mirrored here), so the buffers every server and client keep pooled are in the baseline.
        await ServeAsync(proxy, HttpMethod.Post);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        await ServeAsync(proxy);
        var held = await ShadowHarness.DivergencesAsync(proxy);
        var memoryHeld = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        gate.SetResult();
        var drained = await DrainedAsync(proxy, held.Shadow.Mirrored);

        Assert.Equal(Requests, held.Shadow.Mirrored + held.Shadow.Dropped);
        Assert.InRange(held.Shadow.Dropped, Requests - 16, Requests - 14);
        Assert.InRange(held.Shadow.QueuedBytes, 28 * MiB, 32 * MiB);
        Assert.True(memoryHeld < 32 * MiB + Overhead, $"the process held {memoryHeld / MiB} MiB more with the candidate stuck; the budget is 32 MiB");
        Assert.Equal(0, drained.Shadow.QueuedBytes);
        Assert.Equal(held.Shadow.Mirrored, drained.Shadow.Equal);
        await MemoryFallsBackAsync(baseline);
    }

    [Fact]
    public async Task LargeAnswers_CandidateNeverAnswers_ProcessBudgetBoundsEveryMigration_AndDropsShowInMetrics()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var legacy = await ScriptedBackend.StartAsync(WriteAnswerAsync);
        await using var candidate = await StuckCandidateAsync(gate);
        await using var proxy = await ProxyUnderTest.StartAsync(
            ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { concurrency: 2, timeout: 60s }"),
            options: new CutoverHostOptions { LogLevel = LogLevel.Warning, ShadowMemoryBudget = 8 * MiB });

        await ServeAsync(proxy);
        var held = await ShadowHarness.DivergencesAsync(proxy);
        var metrics = await proxy.Admin.GetStringAsync("/metrics");
        gate.SetResult();
        var drained = await DrainedAsync(proxy, held.Shadow.Mirrored);

        Assert.InRange(held.Shadow.Mirrored, 2, 4);
        Assert.InRange(held.Shadow.QueuedBytes, 4 * MiB, 8 * MiB);
        Assert.Contains($"cutover_shadow_copies_total{{migration=\"orders\",outcome=\"dropped\"}} {held.Shadow.Dropped}\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"cutover_shadow_queued_bytes{{migration=\"orders\"}} {held.Shadow.QueuedBytes}\n", metrics, StringComparison.Ordinal);
        Assert.Equal(0, drained.Shadow.QueuedBytes);
    }

    [Fact]
    public async Task StartAsync_ShadowMemoryBudgetUnderOneMiB_NamesTheSettingAndTheFix()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ProxyUnderTest.StartAsync(
            ShadowHarness.Migration("http://127.0.0.1:1", "http://127.0.0.1:2"),
            options: new CutoverHostOptions { LogLevel = LogLevel.Warning, ShadowMemoryBudget = 1000 }));

        Assert.Contains("CutoverHostOptions.ShadowMemoryBudget is 1000 bytes; give at least 1048576 (1 MiB)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_QueuesDrainAfterHoldingALot_GivesMemoryBackAtMostEveryThirtySeconds()
    {
        var time = new ManualTime();
        var logger = new RecordingLogger<ShadowMemory>();
        var memory = new ShadowMemory(8 * MiB, time, logger);

        Cycle(memory, 4 * MiB);
        Cycle(memory, 4 * MiB);
        time.Advance(TimeSpan.FromSeconds(30));
        Cycle(memory, 1 * MiB);
        Cycle(memory, 4 * MiB);

        Assert.Equal(2, logger.Messages(1056).Count);
        Assert.Equal(0, memory.Held);
    }

    private static void Cycle(ShadowMemory memory, long bytes)
    {
        Assert.True(memory.TryHold(bytes));
        memory.Release(bytes);
    }

    private static async Task WriteAnswerAsync(HttpContext context)
    {
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = Answer.Length;
        await context.Response.Body.WriteAsync(Answer);
    }

    /// <summary>Sends the requests four at a time; every user gets legacy's whole answer.</summary>
    private static async Task ServeAsync(ProxyUnderTest proxy, HttpMethod? method = null)
    {
        await Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(method ?? HttpMethod.Get, "/files/1");
            using var response = await proxy.Proxy.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(body.AsSpan().SequenceEqual(Answer), $"a user got {body.Length} bytes instead of legacy's answer");
        });
    }

    /// <summary>Waits until every mirrored copy is compared and its bytes are given back, or fails after 20 s.</summary>
    private static async Task<DivergencesView> DrainedAsync(ProxyUnderTest proxy, long mirrored)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var view = await ShadowHarness.DivergencesAsync(proxy);
            if (view.Shadow.Compared + view.Shadow.CandidateErrors >= mirrored && view.Shadow.QueuedBytes == 0)
            {
                return view;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the queue did not drain within 20 s: {JsonSerializer.Serialize(view.Shadow)}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Without a collection of its own, the heap falls back near where it started: the process
    /// gave the captured answers back when the queue drained, rather than keeping them until
    /// something else makes the GC run.
    /// </summary>
    private static async Task MemoryFallsBackAsync(long baseline)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (GC.GetTotalMemory(forceFullCollection: false) - baseline > Overhead)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the heap still holds {(GC.GetTotalMemory(false) - baseline) / MiB} MiB more than before 10 s after the queue drained");
            await Task.Delay(100);
        }
    }

    /// <summary>A candidate that holds every copy until <paramref name="gate"/> is set, then answers like legacy.</summary>
    private static Task<ScriptedBackend> StuckCandidateAsync(TaskCompletionSource gate) =>
        ScriptedBackend.StartAsync(async context =>
        {
            await gate.Task;
            await WriteAnswerAsync(context);
        });
}
