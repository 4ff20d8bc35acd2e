using System.Diagnostics;
using Cutover.Core.Routing;
using Cutover.Core.Telemetry;
using Cutover.Kernel.Routing;

namespace Cutover.Server.Telemetry;

/// <summary>
/// The activity of one proxied request, a child of the request's hosting activity, so the
/// migration's span sits between the request Cutover received and the one it sent the backend.
/// With no tracer listening it is null and the request path allocates nothing for it.
/// </summary>
internal static class ProxyActivity
{
    private static readonly object Mirrored = true;
    private static readonly object NotMirrored = false;

    /// <summary>Starts the activity of a request routed by <paramref name="migration"/> to <paramref name="side"/>; null when nothing listens.</summary>
    public static Activity? Start(MigrationModel migration, Side side)
    {
        if (!CutoverActivities.Source.HasListeners())
        {
            return null;
        }

        var activity = CutoverActivities.Source.StartActivity(CutoverActivities.Proxy);
        Tag(activity, migration, side, mirrored: false);
        return activity;
    }

    /// <summary>
    /// Starts the activity of a shadow copy sent to the candidate, in the trace of the request it
    /// copies; a root of its own when that request was not traced (<paramref name="request"/> is default).
    /// </summary>
    public static Activity? StartShadow(MigrationModel migration, ActivityContext request)
    {
        if (!CutoverActivities.Source.HasListeners())
        {
            return null;
        }

        var activity = CutoverActivities.Source.StartActivity(CutoverActivities.Shadow, ActivityKind.Internal, request);
        Tag(activity, migration, Side.Candidate, mirrored: true);
        return activity;
    }

    /// <summary>Marks the request's activity as one whose copy went to the candidate.</summary>
    public static void MarkMirrored(Activity? activity) => activity?.SetTag(CutoverActivities.MirroredTag, Mirrored);

    private static void Tag(Activity? activity, MigrationModel migration, Side side, bool mirrored)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(CutoverActivities.MigrationTag, migration.Name);
        activity.SetTag(CutoverActivities.SideTag, side.ToWire());
        activity.SetTag(CutoverActivities.ModeTag, migration.Mode.ToWire());
        activity.SetTag(CutoverActivities.MirroredTag, mirrored ? Mirrored : NotMirrored);
    }
}
