using System.Collections.Frozen;
using Cutover.Core.Security;
using Cutover.Store;

namespace Cutover.Server.Security;

/// <summary>
/// The tokens this replica accepts, held in memory and replaced whole on each refresh, so checking
/// a token costs one HMAC and one lookup, never a store round trip; <see cref="TokenRefresher"/>
/// reloads it often enough that a token revoked on any replica stops working here within a second.
/// </summary>
public sealed class TokenRegistry(ITokenStore store, TimeProvider time)
{
    private volatile Known? _known;

    /// <summary>Whether tokens have been loaded at least once; until then every token is refused.</summary>
    public bool IsLoaded => _known is not null;

    /// <summary>How many tokens are known (expired ones included).</summary>
    public int Count => _known?.ByHash.Count ?? 0;

    /// <summary>The store the tokens live in.</summary>
    public ITokenStore Store => store;

    /// <summary>Reads the secret (once) and every token from the store, and swaps them in.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var secret = _known?.Secret ?? await store.GetTokenSecretAsync(cancellationToken);
        var tokens = await store.GetTokensAsync(cancellationToken);
        _known = new Known(secret, tokens.ToFrozenDictionary(t => t.Hash, StringComparer.Ordinal));
    }

    /// <summary>Checks an <c>Authorization</c> header's value.</summary>
    public TokenCheck Check(string? authorization)
    {
        const string Bearer = "Bearer ";
        if (string.IsNullOrEmpty(authorization))
        {
            return TokenCheck.Refused("no token was sent");
        }

        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Refused("the Authorization header is not 'Bearer TOKEN'");
        }

        var token = authorization.AsSpan(Bearer.Length).Trim();
        if (!AccessToken.IsWellFormed(token))
        {
            return TokenCheck.Refused("the token is not a Cutover token (cut_...)");
        }

        if (_known is not { } known)
        {
            return TokenCheck.Refused("the tokens have not been loaded from the store yet");
        }

        var hash = AccessToken.Hash(known.Secret, token);
        if (!known.ByHash.TryGetValue(hash, out var record))
        {
            return TokenCheck.Refused("the token is unknown or was revoked");
        }

        if (record.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return TokenCheck.Refused($"token '{record.Name}' expired at {expires:yyyy-MM-dd HH:mm:ss} UTC");
        }

        return new TokenCheck(new AdminCaller(record.Name, record.Role, record.Migrations), null);
    }

    private sealed record Known(byte[] Secret, FrozenDictionary<string, TokenRecord> ByHash);
}
