using Cutover.Core.Security;

namespace Cutover.Store;

/// <summary>
/// An admin API token as the store keeps it: never the token itself, only its keyed hash and the
/// visible prefix that tells people which token a listing means.
/// </summary>
/// <param name="Name">What the audit log calls whoever uses it (<c>ci-deploy</c>); unique.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Prefix">The token's first characters (<c>cut_Ab12Cd34</c>), shown in listings.</param>
/// <param name="Hash">HMAC-SHA256 of the token under the store's secret, as lowercase hex.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
/// <param name="Migrations">The only migrations it may change or report on; null for all of them.</param>
/// <param name="CreatedBy">Who made it, as the audit log names them.</param>
public sealed record TokenRecord(
    string Name,
    AdminRole Role,
    string Prefix,
    string Hash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string>? Migrations,
    string CreatedBy);
