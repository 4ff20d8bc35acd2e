namespace Cutover.Core.Security;

/// <summary>The roles' wire names and what each may do.</summary>
public static class AdminRoles
{
    /// <summary>The names allowed, for error messages.</summary>
    public const string List = "viewer, reporter, operator or admin";

    /// <summary>The name of a role, as the CLI takes it and the admin API writes it.</summary>
    public static string ToWire(this AdminRole role) => role switch
    {
        AdminRole.Viewer => "viewer",
        AdminRole.Reporter => "reporter",
        AdminRole.Operator => "operator",
        _ => "admin",
    };

    /// <summary>Parses a role's name.</summary>
    public static bool TryParse(string? text, out AdminRole role)
    {
        foreach (var candidate in Enum.GetValues<AdminRole>())
        {
            if (string.Equals(text?.Trim(), candidate.ToWire(), StringComparison.Ordinal))
            {
                role = candidate;
                return true;
            }
        }

        role = AdminRole.Viewer;
        return false;
    }

    /// <summary>Whether <paramref name="role"/> may call an endpoint that needs <paramref name="permission"/>.</summary>
    public static bool Allows(this AdminRole role, AdminPermission permission) => permission switch
    {
        AdminPermission.Public or AdminPermission.ReadState => true,
        AdminPermission.Read => role != AdminRole.Reporter,
        AdminPermission.Report => role is AdminRole.Reporter or AdminRole.Admin,
        AdminPermission.Operate => role is AdminRole.Operator or AdminRole.Admin,
        _ => role == AdminRole.Admin,
    };

    /// <summary>The roles that may call an endpoint needing <paramref name="permission"/>, for a 403's message ("operator or admin").</summary>
    public static string AllowedFor(AdminPermission permission) =>
        string.Join(" or ", Enum.GetValues<AdminRole>().Where(r => r.Allows(permission)).Select(r => r.ToWire()));
}
