using Cutover.Core.Security;
using Microsoft.AspNetCore.Builder;

namespace Cutover.Server.Security;

/// <summary>
/// What an admin endpoint needs of its caller, attached as endpoint metadata. The guard refuses an
/// endpoint without it, so forgetting to declare a new endpoint closes it rather than opening it.
/// </summary>
/// <param name="Permission">What the caller's role must allow.</param>
public sealed record AdminAccess(AdminPermission Permission);

/// <summary>Declares an endpoint's <see cref="AdminAccess"/>.</summary>
public static class AdminAccessExtensions
{
    /// <summary>Lets callers whose role allows <paramref name="permission"/> reach the endpoint, and no one else.</summary>
    public static TBuilder Allow<TBuilder>(this TBuilder builder, AdminPermission permission)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new AdminAccess(permission));
        return builder;
    }
}
