using Cutover.Client.State;
using Cutover.Kernel.Routing;

namespace Cutover.Client.Decisions;

/// <summary>
/// Picks a call's route exactly as the proxy picks a request's side (<c>MigrationModel.Decide</c>):
/// a canary sends the keys whose <see cref="StickyBucket"/> lies below the candidate's share, so a
/// user lands on the same side in code as behind the proxy. It reads one table entry and hashes
/// the key once, allocating nothing, because it runs on every call of the application.
/// </summary>
internal static class RouteDecider
{
    /// <summary>The route of one call of the migration <paramref name="setting"/> describes (null: unknown) for <paramref name="stickyKey"/>; no key draws a random bucket.</summary>
    public static Route Decide(MigrationSetting? setting, string? stickyKey) => setting?.Mode switch
    {
        MigrationMode.Shadow => Route.Shadow,
        MigrationMode.Canary => Bucket(setting.StickySeed, stickyKey) < setting.CandidateBuckets ? Route.Candidate : Route.CanaryLegacy,
        MigrationMode.Candidate => Route.Candidate,
        MigrationMode.Retired => Route.CandidateOnly,
        _ => Route.Legacy,
    };

    private static int Bucket(ulong seed, string? stickyKey) =>
        stickyKey is null ? Random.Shared.Next(StickyBucket.Count) : StickyBucket.Compute(seed, stickyKey);
}
