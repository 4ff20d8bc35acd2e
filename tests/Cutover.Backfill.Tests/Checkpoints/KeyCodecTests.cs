using Cutover.Backfill.Checkpoints;

namespace Cutover.Backfill.Tests.Checkpoints;

public sealed class KeyCodecTests
{
    [Fact]
    public void Decode_EncodedKey_GivesBackEachValueAsItsType()
    {
        var guid = Guid.NewGuid();
        object?[] key = [42L, "o'brien", guid, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), 1.5m, null];

        var decoded = KeyCodec.Decode(KeyCodec.Encode(key));

        Assert.Equal(key, decoded);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)decoded[3]!).Kind);
    }

    [Fact]
    public void Display_StoredKey_ReadsLikeARowValue() =>
        Assert.Equal("(3, 'abc', null)", KeyCodec.Display(KeyCodec.Encode([3, "abc", null])));
}
