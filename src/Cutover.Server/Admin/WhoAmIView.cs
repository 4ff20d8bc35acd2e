using Cutover.Core.Security;
using Cutover.Server.Security;

namespace Cutover.Server.Admin;

/// <summary>
/// The answer of <c>GET /api/whoami</c>: who the admin API takes the caller for, so a client (the
/// dashboard) offers only what the caller's role allows instead of letting a person fill in a
/// form the server will refuse. The server still decides every call; this only saves the trip.
/// </summary>
/// <param name="Actor">The name changes are audited under: the token's name, or <c>local</c> without tokens.</param>
/// <param name="Role">viewer, reporter, operator or admin.</param>
/// <param name="Migrations">The only migrations the caller may change; null for all.</param>
/// <param name="Auth">tokens, or none on a loopback admin.</param>
/// <param name="MayOperate">Whether the role may change traffic and plans (weight, mode, rollback, promote, pause, resume, abort, retry).</param>
public sealed record WhoAmIView(string Actor, string Role, IReadOnlyList<string>? Migrations, string Auth, bool MayOperate)
{
    internal static WhoAmIView Of(AdminCaller caller, AdminAuthMode auth) => new(
        caller.Name,
        caller.Role.ToWire(),
        caller.Migrations,
        auth == AdminAuthMode.Tokens ? "tokens" : "none",
        caller.Role.Allows(AdminPermission.Operate));
}
