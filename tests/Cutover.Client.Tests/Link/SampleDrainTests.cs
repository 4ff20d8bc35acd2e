using Cutover.Client.Link;
using Cutover.Client.Running;
using Cutover.Client.Setup;
using Cutover.Client.Tests.Infrastructure;
using Cutover.Kernel.Link;
using Cutover.Kernel.Routing;

namespace Cutover.Client.Tests.Link;

public sealed class SampleDrainTests
{
    private static readonly RunOptions<int> AfterLegacy = new() { ShadowExecution = ShadowExecution.AfterLegacy };

    [Fact]
    public async Task Take_CarriesAtMostOneReportsWorth_OldestFirst_AndTheRestWaitForTheNextReport()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        await DivergeAsync(sdk, "billing-tax", 25);
        var drain = new SampleDrain(sdk.Samples);

        var reports = Enumerable.Range(0, 4).Select(_ => drain.Take(_ => true, out long _)).ToList();

        Assert.Equal([SampleLimits.SamplesPerReport, SampleLimits.SamplesPerReport, 5, 0], reports.Select(r => r.Count));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), reports.SelectMany(r => r).Select(s => s.Legacy));
        Assert.All(reports.SelectMany(r => r), s => Assert.Equal(("billing-tax", 1), (s.Migration, s.TotalDifferences)));
    }

    [Fact]
    public async Task Take_CountsSamplesDroppedAtAFullBufferOnce_AndDropsThoseOfUnknownMigrations()
    {
        using var sdk = ClientUnderTest.Start(o => o.SampleCapacity = 4).With(MigrationMode.Shadow).With(MigrationMode.Shadow, migration: "unknown-here");
        await DivergeAsync(sdk, "billing-tax", 2);
        await DivergeAsync(sdk, "unknown-here", 2);
        await DivergeAsync(sdk, "billing-tax", 3);
        var drain = new SampleDrain(sdk.Samples);

        var first = drain.Take(name => name == "billing-tax", out var dropped);
        var second = drain.Take(name => name == "billing-tax", out var droppedSince);

        Assert.Equal(["0", "1"], first.Select(s => s.Legacy));
        Assert.Equal((5L, 0L), (dropped, droppedSince));
        Assert.Empty(second);
    }

    private static async Task DivergeAsync(ClientUnderTest sdk, string migration, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            await sdk.Client.RunAsync(migration, _ => Task.FromResult(i), _ => Task.FromResult(-i - 1), options: AfterLegacy);
        }
    }
}
