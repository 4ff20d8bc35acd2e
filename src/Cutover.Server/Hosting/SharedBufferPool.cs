using System.Buffers;

namespace Cutover.Server.Hosting;

/// <summary>
/// Room in the process's shared buffer pool for a proxy's traffic. The forwarder copies every
/// request and answer body through a 64 KiB buffer rented from <see cref="ArrayPool{T}.Shared"/>,
/// which by default keeps only a few dozen buffers of a size; with hundreds of requests in flight
/// (HTTP/2 and gRPC multiplex them) every other rent is a new array, garbage a millisecond later:
/// on the bench machine about 80 KiB allocated per gRPC call, and the collections that follow took
/// half the proxy's CPU. With room for 256 buffers of a size per core the same calls allocate
/// about 8 KiB each. The pool holds only what was in use at a peak, and gives unused buffers back
/// when memory runs short.
/// </summary>
public static class SharedBufferPool
{
    /// <summary>The runtime's setting, read from the environment once, when the pool is first used.</summary>
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>Buffers of one size the pool keeps per core.</summary>
    public const int ArraysPerCore = 256;

    /// <summary>
    /// Makes the room, unless the environment already chose a size. It works only before anything
    /// in the process has used <see cref="ArrayPool{T}.Shared"/>, so call it first thing in <c>Main</c>
    /// (<c>cutover</c> does); an application that hosts Cutover does the same, or sets the variable.
    /// </summary>
    public static void Enlarge()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Environment.SetEnvironmentVariable(Variable, ArraysPerCore.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
