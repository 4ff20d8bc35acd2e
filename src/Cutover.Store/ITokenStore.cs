namespace Cutover.Store;

/// <summary>
/// The admin API's tokens, kept in the control store so every replica sharing it accepts the same
/// tokens, and so whoever holds the store (its file, or its database's credentials) holds the keys:
/// the first admin token is made straight on the store. Implemented by the same stores as
/// <see cref="IControlStore"/>. Creating and revoking a token writes an audit row in the same
/// transaction, with an empty migration.
/// </summary>
public interface ITokenStore : IStore
{
    /// <summary>The secret tokens are hashed under; made on first use and then never changed, so every replica hashes alike.</summary>
    Task<byte[]> GetTokenSecretAsync(CancellationToken cancellationToken = default);

    /// <summary>Every token, by name.</summary>
    Task<IReadOnlyList<TokenRecord>> GetTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new token with a <c>token-create</c> audit row; false, and nothing written, when a token of that name exists.</summary>
    Task<bool> AddTokenAsync(TokenRecord token, string reason, CancellationToken cancellationToken = default);

    /// <summary>Deletes a token with a <c>token-revoke</c> audit row; false when there is none of that name.</summary>
    Task<bool> RevokeTokenAsync(string name, string actor, string reason, CancellationToken cancellationToken = default);
}
