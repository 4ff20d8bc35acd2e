using System.Text;
using Cutover.Backfill.Checkpoints;

namespace Cutover.Backfill.Tests.Checkpoints;

/// <summary>The row hash is XXH64 exactly: the values are the reference tool's (<c>printf '…' | xxhsum -H1</c>), so every build and every side agrees on a checksum.</summary>
public sealed class RowHashTests
{
    [Theory]
    [InlineData("", 0xef46db3751d8e999UL)]
    [InlineData("a", 0xd24ec4f1a98c6e5bUL)]
    [InlineData("abc", 0x44bc2cf5ad770999UL)]
    [InlineData("i5:12345s11:hello world", 0xa475c54a4e71d131UL)]
    [InlineData("i5:12345s11:hello worlds0:t28:2026-11-22T11:35:42.0000000Z", 0xfc84d1e1123e35eeUL)]
    public void Of_Text_IsTheReferenceXxh64(string text, ulong expected)
    {
        Assert.Equal(expected, RowHash.Of(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData(100, 0x92f0de5a88a3c094UL)]
    [InlineData(71, 0xf2dc8395a0c279aaUL)]
    public void Of_LongRuns_IsTheReferenceXxh64(int length, ulong expected)
    {
        Assert.Equal(expected, RowHash.Of(Encoding.ASCII.GetBytes(new string('x', length))));
    }
}
