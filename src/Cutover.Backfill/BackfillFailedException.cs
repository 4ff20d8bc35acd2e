namespace Cutover.Backfill;

/// <summary>A run that stopped on an error after it started; the checkpoint is at the last good batch and the message says how to continue.</summary>
public sealed class BackfillFailedException(string message, Exception? inner = null) : Exception(message, inner);
