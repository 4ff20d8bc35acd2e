using System.Diagnostics;

namespace Cutover.Core.Telemetry;

/// <summary>
/// The <c>Cutover</c> <see cref="ActivitySource"/> and the names of its activities and tags, shared
/// by the proxy, the orchestrator and the backfill engine so one tracer subscription sees them all.
/// With no listener <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null,
/// so untraced code pays one check.
/// </summary>
public static class CutoverActivities
{
    /// <summary>The name of the source (and of the meter): what a tracer subscribes to.</summary>
    public const string SourceName = "Cutover";

    /// <summary>The source every Cutover activity starts from.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A request forwarded to a migration's backend.</summary>
    public const string Proxy = "cutover.proxy";

    /// <summary>A copy of a request sent to the candidate off the request path.</summary>
    public const string Shadow = "cutover.shadow";

    /// <summary>A rollout decision acted on: a step, a pause, a rollback, an abort.</summary>
    public const string RolloutDecision = "cutover.rollout.decision";

    /// <summary>One batch of a backfill copied, retries included.</summary>
    public const string BackfillBatch = "cutover.backfill.batch";

    /// <summary>The migration's name.</summary>
    public const string MigrationTag = "cutover.migration";

    /// <summary>The side that served: <c>legacy</c> or <c>candidate</c>.</summary>
    public const string SideTag = "cutover.side";

    /// <summary>The migration's mode when the request arrived.</summary>
    public const string ModeTag = "cutover.mode";

    /// <summary>Whether a copy of the request went to the candidate as a shadow.</summary>
    public const string MirroredTag = "cutover.mirrored";
}
