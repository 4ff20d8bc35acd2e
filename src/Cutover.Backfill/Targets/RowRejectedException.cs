using Cutover.Backfill.Checkpoints;

namespace Cutover.Backfill.Targets;

/// <summary>A row that cannot be written as it is; the message names its key and why, so <c>onError: skip</c> can leave that row out.</summary>
public sealed class RowRejectedException : Exception
{
    /// <summary>Creates the exception for the row with key <paramref name="key"/>, rejected for <paramref name="reason"/>; <paramref name="fix"/> ends the message.</summary>
    public RowRejectedException(IReadOnlyList<object?> key, string reason, string fix, Exception? inner = null)
        : base($"The row with key {KeyCodec.Display(KeyCodec.Encode(key))} {reason}. {fix}", inner)
    {
        Key = key;
        Reason = reason;
    }

    /// <summary>The rejected row's key values, in key order.</summary>
    public IReadOnlyList<object?> Key { get; }

    /// <summary>Why the row cannot be written, without its key.</summary>
    public string Reason { get; }
}
