using System.Globalization;
using Cutover.Backfill.Checkpoints;
using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>One key range of a split job as <c>status --json</c> and <c>GET /api/backfills</c> show it, its keys decoded into their values.</summary>
/// <param name="Index">The range's place in key order, from 1.</param>
/// <param name="Status">pending, running or done.</param>
/// <param name="Holder">The worker holding it (<c>MACHINE:PID:RUN</c>), or that did it when done; null while pending.</param>
/// <param name="RowsCopied">Rows of the range copied so far.</param>
/// <param name="After">The key the range starts after; null for the first range.</param>
/// <param name="UpTo">The range's last key; null for the last range.</param>
/// <param name="LastKey">The key of the range's last row copied; null before its first batch.</param>
public sealed record BackfillRangeView(int Index, string Status, string? Holder, long RowsCopied, string?[]? After, string?[]? UpTo, string?[]? LastKey)
{
    /// <summary>The view of a stored range.</summary>
    public static BackfillRangeView Of(BackfillRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        return new(range.Index + 1, range.Status.ToString().ToLowerInvariant(), range.Holder, range.RowsCopied, Values(range.After), Values(range.UpTo), Values(range.LastKey));
    }

    /// <summary>A stored key's values as text, null for no key.</summary>
    public static string?[]? Values(string? key) =>
        key is null ? null : [.. KeyCodec.Decode(key).Select(v => v is null ? null : Convert.ToString(v, CultureInfo.InvariantCulture))];
}
