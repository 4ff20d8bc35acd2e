namespace Cutover.Backfill.Targets;

/// <summary>A row the target cannot take as it is; the message names its key, the column and why.</summary>
public sealed class RowRejectedException(string message, Exception? inner = null) : Exception(message, inner);
