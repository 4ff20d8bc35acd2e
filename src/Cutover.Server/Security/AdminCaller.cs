using Cutover.Core.Security;

namespace Cutover.Server.Security;

/// <summary>
/// Who is calling the admin API, as the guard established it: a token's name and role, or the
/// local user on a loopback admin without tokens. The audit log takes the actor from here, never
/// from the request body.
/// </summary>
/// <param name="Name">The token's name, or <see cref="LocalName"/>.</param>
/// <param name="Role">What the caller may do.</param>
/// <param name="Migrations">The only migrations the caller may change or report on; null for all.</param>
public sealed record AdminCaller(string Name, AdminRole Role, IReadOnlyList<string>? Migrations)
{
    /// <summary>The actor of changes made without tokens, on a loopback admin.</summary>
    public const string LocalName = "local";

    // Enough for a person's name or a ticket; the rest of a longer claim is cut.
    private const int MaxOnBehalfOfLength = 100;

    /// <summary>The caller on a loopback admin without tokens: whoever runs programs on this machine.</summary>
    public static AdminCaller Local { get; } = new(LocalName, AdminRole.Admin, null);

    /// <summary>Whether the caller may change, or report on, <paramref name="migration"/>.</summary>
    public bool MayChange(string migration) => Migrations is null || Migrations.Contains(migration, StringComparer.Ordinal);

    /// <summary>
    /// The actor for the audit log: the caller's own name, followed by what the request claims
    /// (<c>--actor</c>, the body's <c>actor</c>) only as "on behalf of" text. The name comes first
    /// and holds no space, so the log's first word is always who was authenticated.
    /// </summary>
    public string Actor(string? onBehalfOf)
    {
        var claimed = onBehalfOf?.Trim();
        if (string.IsNullOrEmpty(claimed) || claimed == Name)
        {
            return Name;
        }

        // Kept as sent (the JSON API escapes it, the CLI cleans it for a terminal), only cut to length.
        return $"{Name} (on behalf of {(claimed.Length > MaxOnBehalfOfLength ? claimed[..MaxOnBehalfOfLength] : claimed)})";
    }
}
