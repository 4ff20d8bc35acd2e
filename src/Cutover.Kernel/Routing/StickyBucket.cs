using System.Text;

namespace Cutover.Kernel.Routing;

/// <summary>
/// Maps a (migration, sticky key) pair to one of <see cref="Count"/> buckets. The function is
/// fixed forever: every replica, every restart and the in-process SDK must put a user in the same
/// bucket, so it depends on nothing but the UTF-8 bytes of "{migration}/{key}" (64-bit FNV-1a,
/// then MurmurHash3's 64-bit finalizer for an even spread over sequential ids such as "user-1",
/// "user-2"). A migration's candidate share is the buckets below its weight × 100, which is what
/// makes raising the weight move users only from legacy to candidate.
/// </summary>
public static class StickyBucket
{
    /// <summary>How many buckets there are: 10,000, so weights have a resolution of 0.01% (<see cref="Weight.Resolution"/>).</summary>
    public const int Count = 10_000;

    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The bucket of <paramref name="key"/> in <paramref name="migration"/>, in [0, 10000).</summary>
    public static int Compute(string migration, ReadOnlySpan<char> key) => Compute(Seed(migration), key);

    /// <summary>
    /// The hash of "{migration}/", the part of every key's hash that depends on the migration
    /// alone: worked out once per migration (by the proxy's routing snapshot and the in-process SDK), so a
    /// decision hashes only the key.
    /// </summary>
    public static ulong Seed(string migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return (Append(FnvOffsetBasis, migration) ^ (byte)'/') * FnvPrime;
    }

    /// <summary>The bucket of <paramref name="key"/> in the migration whose <see cref="Seed"/> is <paramref name="seed"/>; the same as <see cref="Compute(string, ReadOnlySpan{char})"/>.</summary>
    public static int Compute(ulong seed, ReadOnlySpan<char> key) => (int)(Finalize(Append(seed, key)) % Count);

    private static ulong Append(ulong hash, ReadOnlySpan<char> text)
    {
        // ASCII first, as most keys are: such a char is its own UTF-8 byte, so no rune is decoded or encoded.
        var ascii = 0;
        for (; ascii < text.Length && text[ascii] < 0x80; ascii++)
        {
            hash = (hash ^ text[ascii]) * FnvPrime;
        }

        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text[ascii..].EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < length; i++)
            {
                hash = (hash ^ utf8[i]) * FnvPrime;
            }
        }

        return hash;
    }

    private static ulong Finalize(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
