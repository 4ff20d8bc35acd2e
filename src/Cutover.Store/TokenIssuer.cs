using Cutover.Core.Security;

namespace Cutover.Store;

/// <summary>
/// Makes tokens, for the admin API and for <c>cutover token create --store</c> alike: one place
/// generates the token, hashes it under the store's secret and stores only the hash.
/// </summary>
public static class TokenIssuer
{
    /// <summary>
    /// Stores a new token for <paramref name="request"/> and returns it with its record; the token's
    /// text exists only in the result, to be shown once. Null when a token of that name exists.
    /// </summary>
    public static async Task<(string Token, TokenRecord Record)?> IssueAsync(
        ITokenStore store, TokenRequest request, string createdBy, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var secret = await store.GetTokenSecretAsync(cancellationToken);
        var token = AccessToken.Generate();
        var record = new TokenRecord(
            request.Name,
            request.Role,
            AccessToken.PrefixOf(token),
            AccessToken.Hash(secret, token),
            now,
            now + request.ExpiresIn,
            request.Migrations,
            createdBy);
        return await store.AddTokenAsync(record, reason, cancellationToken) ? (token, record) : null;
    }
}
