using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Server.Hosting;

/// <summary>Returned by <see cref="CutoverServiceCollectionExtensions.AddCutover"/> so further Cutover setup can chain on it.</summary>
/// <param name="services">The service collection Cutover was added to.</param>
public sealed class CutoverBuilder(IServiceCollection services)
{
    /// <summary>The service collection Cutover was added to.</summary>
    public IServiceCollection Services { get; } = services;
}
