using Cutover.Core.Security;

namespace Cutover.Server.Security;

/// <summary>What the <see cref="AdminGuard"/> checks against, fixed when the admin host starts.</summary>
/// <param name="Mode">Tokens, or none on a loopback admin.</param>
/// <param name="AdminHost">The admin address's host as configured, the one name besides loopback's that a tokenless admin answers to.</param>
/// <param name="Tokens">The tokens, with <see cref="AdminAuthMode.Tokens"/>; null otherwise.</param>
internal sealed record AdminGuardSettings(AdminAuthMode Mode, string AdminHost, TokenRegistry? Tokens);
