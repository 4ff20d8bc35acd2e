using System.IO.Hashing;

namespace Cutover.Backfill.Checkpoints;

/// <summary>
/// XXH64 (seed 0) of a row's canonical encoding: the 64-bit hash <see cref="RowChecksum"/> adds up.
/// A checksum guards against rows lost, doubled or changed by accident, not against an adversary,
/// so a fast non-cryptographic hash with a published definition fits: every side and every build
/// computes the same value, and it costs a fraction of SHA-256 per row (whose per-call overhead
/// dominated on rows of a few hundred bytes).
/// </summary>
/// <remarks>
/// The hash and its seed are part of what checkpoints store, so they are named in this one place;
/// the tests pin reference values, which checkpoints written by earlier builds (with a hand-written
/// XXH64) were computed with.
/// </remarks>
internal static class RowHash
{
    /// <summary>The XXH64 of <paramref name="data"/> with seed 0.</summary>
    public static ulong Of(ReadOnlySpan<byte> data) => XxHash64.HashToUInt64(data);
}
