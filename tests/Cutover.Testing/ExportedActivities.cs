using System.Collections.ObjectModel;
using System.Diagnostics;

namespace Cutover.Testing;

/// <summary>
/// What the in-memory exporter exported, safe to read while it adds: a tracer listens
/// process-wide, so tests running in parallel export into it too.
/// </summary>
public sealed class ExportedActivities : Collection<Activity>
{
    /// <summary>Every activity exported so far.</summary>
    public IReadOnlyList<Activity> Snapshot()
    {
        lock (Items)
        {
            return [.. Items];
        }
    }

    protected override void InsertItem(int index, Activity item)
    {
        lock (Items)
        {
            base.InsertItem(index, item);
        }
    }
}
