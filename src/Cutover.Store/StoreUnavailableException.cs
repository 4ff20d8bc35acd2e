namespace Cutover.Store;

/// <summary>The store could not be opened or reached; the message names the store (without secrets) and what to check.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
