namespace Cutover.Server.Tests.Infrastructure;

/// <summary>
/// Tests that measure allocations of the whole process run alone: other tests running beside
/// them would allocate too and make the figure meaningless.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresProcessMemory
{
    public const string Name = "Measures process memory";
}
