using Cutover.Core.Configuration;
using Cutover.Core.Security;
using Cutover.Store;

namespace Cutover.Server.Security;

/// <summary>What the <see cref="AdminGuard"/> checks against, fixed when the admin API is set up.</summary>
/// <param name="Mode">Tokens, or none on a loopback admin.</param>
/// <param name="AdminHost">The admin address's host as configured, the one name besides loopback's that a tokenless admin answers to.</param>
/// <param name="Tokens">The tokens, with <see cref="AdminAuthMode.Tokens"/>; null otherwise.</param>
internal sealed record AdminGuardSettings(AdminAuthMode Mode, string AdminHost, TokenRegistry? Tokens)
{
    /// <summary>
    /// The settings for the config's <c>adminAuth</c> at <paramref name="address"/>; throws, before
    /// anything listens, when an admin without tokens would be reachable off loopback. The same rule
    /// holds for <c>cutover serve</c> and for an application that maps the admin API, so embedding
    /// never widens who can change traffic.
    /// </summary>
    public static AdminGuardSettings Of(CutoverDefinition definition, Uri address, TokenRegistry? tokens)
    {
        if (definition.AdminAuth == AdminAuthMode.None && !LoopbackAddress.Is(address))
        {
            throw new ConfigException([new ConfigError(definition.Source, 0, null, "admin", AdminExposure.Problem(address.ToString()))]);
        }

        return new AdminGuardSettings(definition.AdminAuth, address.IdnHost, definition.AdminAuth == AdminAuthMode.Tokens ? tokens : null);
    }

    /// <summary>The store's tokens, for <c>adminAuth: tokens</c>; throws when the store keeps none.</summary>
    public static ITokenStore TokenStoreOf(CutoverDefinition definition, IControlStore store) =>
        store as ITokenStore
            ?? throw new ConfigException([new ConfigError(definition.Source, 0, null, "adminAuth",
                $"tokens needs a store that keeps them, and {store.Description} does not; use a SQLite or PostgreSQL store")]);
}
