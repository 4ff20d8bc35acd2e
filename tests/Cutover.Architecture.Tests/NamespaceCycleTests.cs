using System.Reflection;
using Cutover.Backfill.Running;
using Cutover.Client;
using Cutover.Core.Configuration;
using Cutover.Kernel.Link;
using Cutover.Server.Hosting;
using Cutover.Store.Opening;

namespace Cutover.Architecture.Tests;

/// <summary>
/// Each project's namespaces depend one way (issue #15):
/// a type that makes two of them use each other again fails these tests, naming the namespaces of the loop.
/// </summary>
public sealed class NamespaceCycleTests
{
    [Fact]
    public void Namespaces_BackfillAssembly_FormNoCycle() => AssertNoCycle(typeof(BackfillRunner), leastNamespaces: 10);

    [Fact]
    public void Namespaces_ServerAssembly_FormNoCycle() => AssertNoCycle(typeof(CutoverHost), leastNamespaces: 10);

    [Fact]
    public void Namespaces_CoreAssembly_FormNoCycle() => AssertNoCycle(typeof(ConfigLoader), leastNamespaces: 9);

    [Fact]
    public void Namespaces_KernelAssembly_FormNoCycle() => AssertNoCycle(typeof(CallSample), leastNamespaces: 3);

    [Fact]
    public void Namespaces_ClientAssembly_FormNoCycle() => AssertNoCycle(typeof(ICutoverClient), leastNamespaces: 6);

    [Fact]
    public void Namespaces_StoreAssembly_FormNoCycle() => AssertNoCycle(typeof(ControlStoreFactory), leastNamespaces: 4);

    [Fact]
    public void Namespaces_CliAssembly_FormNoCycle() =>
        AssertNoCycle(Assembly.Load("cutover"), "Cutover.Cli.Commands", leastNamespaces: 4);

    [Fact]
    public void Cycles_TwoNamespacesUsingEachOther_AreFound()
    {
        var cycles = NamespaceGraph.Of(typeof(NamespaceCycleTests).Assembly.Location).Cycles();

        Assert.Contains(cycles, cycle => cycle.SequenceEqual(["Cutover.Architecture.Tests.CycleA", "Cutover.Architecture.Tests.CycleB"]));
    }

    /// <summary>Reads the assembly of <paramref name="member"/>, checks its namespace and at least <paramref name="leastNamespaces"/> were read, and that none form a loop.</summary>
    private static void AssertNoCycle(Type member, int leastNamespaces) => AssertNoCycle(member.Assembly, member.Namespace!, leastNamespaces);

    /// <summary>The same for an assembly whose types are all internal (the CLI's), found by one namespace it must have.</summary>
    private static void AssertNoCycle(Assembly assembly, string knownNamespace, int leastNamespaces)
    {
        var graph = NamespaceGraph.Of(assembly.Location);

        Assert.Contains(knownNamespace, graph.Uses.Keys);
        Assert.True(graph.Uses.Count >= leastNamespaces, $"read only {graph.Uses.Count} namespaces: {string.Join(", ", graph.Uses.Keys)}");
        Assert.Empty(graph.Cycles().Select(cycle => string.Join(" <-> ", cycle)));
    }
}
