namespace Cutover.Server.Hosting;

/// <summary>
/// The garbage collector's gen0 budget, as the runtime chose it. With the workstation collector
/// (which .NET uses on one core, server GC or not) the budget is capped at a few MiB, and a proxy
/// allocating per request then collects every few hundred requests: on the bench machine a 64 MiB
/// budget cut Cutover's CPU per gRPC call by a quarter to a half (docs/benchmarks.md). Only the environment of a
/// process can set it, before the process starts, so Cutover says at start when it is small.
/// </summary>
internal static class CollectorBudget
{
    /// <summary>The budget Cutover suggests: what <c>DOTNET_GCgen0size=0x4000000</c> gives.</summary>
    public const long Suggested = 64L * 1024 * 1024;

    /// <summary>The largest gen0 budget the runtime will use, from its settings (<see cref="GC.GetConfigurationVariables"/>); null when they do not say.</summary>
    public static long? Gen0Max(IReadOnlyDictionary<string, object> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.TryGetValue("GCGen0MaxBudget", out var value) && value is long budget && budget > 0 ? budget : null;
    }

    /// <summary>Whether a budget is small enough that a busy proxy spends much of its CPU collecting.</summary>
    public static bool IsSmall(long? budget) => budget < Suggested / 2;
}
