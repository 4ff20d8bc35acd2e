using System.IO.Pipelines;
using Cutover.Kernel.Link;

namespace Cutover.Kernel.Tests.Link;

public sealed class SilentStreamGuardTests
{
    [Fact]
    public async Task ReadAsync_BytesArrive_PassesThemThrough()
    {
        var pipe = new Pipe();
        await using var guarded = new SilentStreamGuard(pipe.Reader.AsStream(), TimeSpan.FromSeconds(5));
        await pipe.Writer.WriteAsync(": keep-alive\n\n"u8.ToArray());

        var buffer = new byte[64];
        var read = await guarded.ReadAsync(buffer);

        Assert.Equal(": keep-alive\n\n", System.Text.Encoding.UTF8.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task ReadAsync_StreamSilentPastTheLimit_EndsWithAnIOExceptionNamingTheSilence()
    {
        var pipe = new Pipe();
        await using var guarded = new SilentStreamGuard(pipe.Reader.AsStream(), TimeSpan.FromMilliseconds(100));

        var thrown = await Assert.ThrowsAsync<IOException>(async () => _ = await guarded.ReadAsync(new byte[64]));

        Assert.Contains("silent", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CallerCancels_IsACancellationNotASilence()
    {
        var pipe = new Pipe();
        await using var guarded = new SilentStreamGuard(pipe.Reader.AsStream(), TimeSpan.FromSeconds(30));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => _ = await guarded.ReadAsync(new byte[64], stop.Token));
    }
}
