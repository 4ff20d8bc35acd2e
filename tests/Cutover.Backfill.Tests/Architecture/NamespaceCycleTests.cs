using Cutover.Backfill.Running;
using Cutover.Server.Hosting;

namespace Cutover.Backfill.Tests.Architecture;

/// <summary>
/// Backfill's and the server's namespaces depend one way (issue #15): a type that makes two of them use each other
/// again fails this test, naming the namespaces of the loop.
/// </summary>
public sealed class NamespaceCycleTests
{
    [Fact]
    public void Backfill_namespaces_form_no_cycle()
    {
        var graph = NamespaceGraph.Of(typeof(BackfillRunner).Assembly.Location);

        Assert.Contains("Cutover.Backfill.Running", graph.Uses.Keys);
        Assert.True(graph.Uses.Count >= 10, $"read only {graph.Uses.Count} namespaces: {string.Join(", ", graph.Uses.Keys)}");
        Assert.Empty(graph.Cycles().Select(cycle => string.Join(" <-> ", cycle)));
    }

    [Fact]
    public void Namespaces_ServerAssembly_FormNoCycle()
    {
        var graph = NamespaceGraph.Of(typeof(CutoverHost).Assembly.Location);

        Assert.Contains("Cutover.Server.Hosting", graph.Uses.Keys);
        Assert.True(graph.Uses.Count >= 10, $"read only {graph.Uses.Count} namespaces: {string.Join(", ", graph.Uses.Keys)}");
        Assert.Empty(graph.Cycles().Select(cycle => string.Join(" <-> ", cycle)));
    }

    [Fact]
    public void The_graph_finds_namespaces_that_use_each_other()
    {
        var cycles = NamespaceGraph.Of(typeof(NamespaceCycleTests).Assembly.Location).Cycles();

        Assert.Contains(cycles, cycle => cycle.SequenceEqual(["Cutover.Backfill.Tests.Architecture.CycleA", "Cutover.Backfill.Tests.Architecture.CycleB"]));
    }
}
