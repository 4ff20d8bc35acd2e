using Cutover.Core.Security;
using Cutover.Store;

namespace Cutover.Server.Admin;

/// <summary>A token as the admin API shows it: never the token or its hash, only its visible prefix.</summary>
/// <param name="Name">Its name, the actor of its changes.</param>
/// <param name="Role">Its role's name.</param>
/// <param name="Prefix">Its first characters, to tell which token a listing means.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="CreatedBy">Who made it.</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
/// <param name="Expired">Whether that time has passed.</param>
/// <param name="Migrations">The only migrations it may change; null for all.</param>
public sealed record TokenView(
    string Name, string Role, string Prefix, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ExpiresAt, bool Expired, IReadOnlyList<string>? Migrations)
{
    /// <summary>The view of a stored token at <paramref name="now"/>.</summary>
    public static TokenView Of(TokenRecord token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new(token.Name, token.Role.ToWire(), token.Prefix, token.CreatedAt, token.CreatedBy, token.ExpiresAt, token.ExpiresAt <= now, token.Migrations);
    }
}

/// <summary>The answer to <c>POST /api/tokens</c>: the token's view and, this once, the token itself.</summary>
/// <param name="Token">What was stored.</param>
/// <param name="Secret">The token to send as <c>Authorization: Bearer ...</c>; shown only here.</param>
public sealed record TokenCreated(TokenView Token, string Secret);
