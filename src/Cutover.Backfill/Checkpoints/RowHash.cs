using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cutover.Backfill.Checkpoints;

/// <summary>
/// XXH64 (seed 0) of a row's canonical encoding: the 64-bit hash <see cref="RowChecksum"/> adds up.
/// A checksum guards against rows lost, doubled or changed by accident, not against an adversary,
/// so a fast non-cryptographic hash with a published definition fits: every side and every build
/// computes the same value, and it costs a fraction of SHA-256 per row (whose per-call overhead
/// dominated on rows of a few hundred bytes).
/// </summary>
internal static class RowHash
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;
    private const ulong Prime4 = 0x85EBCA77C2B2AE63UL;
    private const ulong Prime5 = 0x27D4EB2F165667C5UL;

    /// <summary>The XXH64 of <paramref name="data"/> with seed 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Of(ReadOnlySpan<byte> data)
    {
        unchecked
        {
            var length = (ulong)data.Length;
            ulong hash;
            if (data.Length >= 32)
            {
                var v1 = Prime1 + Prime2;
                var v2 = Prime2;
                var v3 = 0UL;
                var v4 = 0UL - Prime1;
                do
                {
                    v1 = Round(v1, BinaryPrimitives.ReadUInt64LittleEndian(data));
                    v2 = Round(v2, BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
                    v3 = Round(v3, BinaryPrimitives.ReadUInt64LittleEndian(data[16..]));
                    v4 = Round(v4, BinaryPrimitives.ReadUInt64LittleEndian(data[24..]));
                    data = data[32..];
                }
                while (data.Length >= 32);

                hash = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7) + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
                hash = Merge(Merge(Merge(Merge(hash, v1), v2), v3), v4);
            }
            else
            {
                hash = Prime5;
            }

            hash += length;
            while (data.Length >= 8)
            {
                hash ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(data));
                hash = (BitOperations.RotateLeft(hash, 27) * Prime1) + Prime4;
                data = data[8..];
            }

            if (data.Length >= 4)
            {
                hash ^= BinaryPrimitives.ReadUInt32LittleEndian(data) * Prime1;
                hash = (BitOperations.RotateLeft(hash, 23) * Prime2) + Prime3;
                data = data[4..];
            }

            foreach (var b in data)
            {
                hash ^= b * Prime5;
                hash = BitOperations.RotateLeft(hash, 11) * Prime1;
            }

            hash ^= hash >> 33;
            hash *= Prime2;
            hash ^= hash >> 29;
            hash *= Prime3;
            hash ^= hash >> 32;
            return hash;
        }
    }

    private static ulong Round(ulong accumulator, ulong lane) =>
        unchecked(BitOperations.RotateLeft(accumulator + (lane * Prime2), 31) * Prime1);

    private static ulong Merge(ulong hash, ulong accumulator) =>
        unchecked(((hash ^ Round(0, accumulator)) * Prime1) + Prime4);
}
