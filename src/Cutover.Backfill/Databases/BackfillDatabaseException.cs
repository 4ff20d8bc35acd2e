namespace Cutover.Backfill.Databases;

/// <summary>A source or target database could not be opened or used; the message names it (without secrets) and what to check.</summary>
public sealed class BackfillDatabaseException(string message, Exception? inner = null) : Exception(message, inner);
