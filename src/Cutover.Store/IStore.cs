namespace Cutover.Store;

/// <summary>
/// What every role of the control store shares: one database and one schema behind them all, so
/// whichever role a caller holds, it can name the store in messages, create or upgrade the whole
/// schema, and dispose it when it owns it.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>A short description for logs and errors, without secrets (e.g. "sqlite:cutover.db").</summary>
    string Description { get; }

    /// <summary>Creates the schema or upgrades it to the current version; safe to call on every start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);
}
