using System.Diagnostics;
using Cutover.Core.Telemetry;
using Cutover.Server.Settings;
using Cutover.Testing;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Cutover.Server.Tests.Telemetry;

/// <summary>
/// Host options that turn tracing on with the in-memory exporter, and the activities it exported.
/// The tracer listens process-wide, so tests in parallel see each other's activities: each test
/// looks only at those of its own migration.
/// </summary>
internal sealed class TracedProxy
{
    private readonly ExportedActivities _exported = [];

    public CutoverHostOptions Options => new()
    {
        LogLevel = LogLevel.Warning,
        Tracing = traces => traces.AddInMemoryExporter(_exported),
    };

    /// <summary>
    /// The exported activities of <paramref name="operation"/> tagged with <paramref name="migration"/>,
    /// once there are at least <paramref name="count"/>: an activity is exported when it ends, which
    /// may be just after the response, so this waits up to 10 seconds.
    /// </summary>
    public async Task<IReadOnlyList<Activity>> ActivitiesAsync(string operation, string migration, int count = 1)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var found = All().Where(a => a.OperationName == operation && (string?)a.GetTagItem(CutoverActivities.MigrationTag) == migration).ToList();
            if (found.Count >= count || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                return found;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Every activity exported so far.</summary>
    public IReadOnlyList<Activity> All() => _exported.Snapshot();
}
