using Cutover.Server.Hosting;

namespace Cutover.Server.Tests.Hosting;

/// <summary>The room <c>cutover</c> makes in the shared buffer pool, and an operator's own choice winning over it.</summary>
public sealed class SharedBufferPoolTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(SharedBufferPool.Variable);

    [Fact]
    public void Enlarge_NothingChosen_AsksTheRuntimeFor256BuffersOfASizePerCore()
    {
        Environment.SetEnvironmentVariable(SharedBufferPool.Variable, null);

        SharedBufferPool.Enlarge();

        Assert.Equal("256", Environment.GetEnvironmentVariable(SharedBufferPool.Variable));
    }

    [Fact]
    public void Enlarge_OperatorChoseASize_KeepsIt()
    {
        Environment.SetEnvironmentVariable(SharedBufferPool.Variable, "64");

        SharedBufferPool.Enlarge();

        Assert.Equal("64", Environment.GetEnvironmentVariable(SharedBufferPool.Variable));
    }

    public void Dispose() => Environment.SetEnvironmentVariable(SharedBufferPool.Variable, _before);
}
