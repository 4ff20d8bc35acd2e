using System.Diagnostics.Metrics;
using Cutover.Core.Telemetry;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Server.Telemetry;

/// <summary>
/// The counters the server keeps for <c>/metrics</c>, as OpenTelemetry instruments for OTLP export.
/// They are observed: read from the same <see cref="MetricsRegistry"/> only when the exporter
/// collects, so the request path counts once, as it always did, whether or not anything exports.
/// </summary>
internal sealed class CutoverMeter
{
    /// <summary>
    /// Creates the instruments on a meter of <paramref name="meters"/>, which the host disposes
    /// after the meter provider: the provider's last collection at shutdown still reads them.
    /// </summary>
    public CutoverMeter(IMeterFactory meters, MetricsRegistry metrics)
    {
        var meter = meters.Create(CutoverActivities.SourceName);
        meter.CreateObservableCounter("cutover.requests", () => EachSide(metrics, c => c.Requests), "{request}", "Requests forwarded to a side of a migration.");
        meter.CreateObservableCounter("cutover.request.errors", () => EachSide(metrics, c => c.Errors), "{request}",
            "Requests that counted as errors: a 5xx from the backend, a refused connection or a timeout.");
        meter.CreateObservableCounter("cutover.failover.rescued", () => Rescued(metrics), "{request}",
            "Requests the candidate failed before answering that legacy answered instead (failover); each is also one of the candidate's request errors.");
        meter.CreateObservableCounter("cutover.shadow.copies", () => Shadow(metrics), "{copy}",
            "Requests eligible for mirroring, by what became of them: mirrored, dropped (queue or byte budget full) or skipped.");
        meter.CreateObservableCounter("cutover.shadow.comparisons", () => Comparisons(metrics), "{comparison}", "Shadow pairs compared, by result.");
    }

    private static IEnumerable<Measurement<long>> EachSide(MetricsRegistry metrics, Func<SideCounters, long> read)
    {
        foreach (var name in metrics.Names)
        {
            var counters = metrics.For(name);
            yield return new(read(counters.Legacy), Tag(name), new(CutoverActivities.SideTag, Side.Legacy.ToWire()));
            yield return new(read(counters.Candidate), Tag(name), new(CutoverActivities.SideTag, Side.Candidate.ToWire()));
        }
    }

    private static IEnumerable<Measurement<long>> Rescued(MetricsRegistry metrics)
    {
        foreach (var name in metrics.Names)
        {
            yield return new(metrics.For(name).Rescued, Tag(name));
        }
    }

    private static IEnumerable<Measurement<long>> Shadow(MetricsRegistry metrics)
    {
        foreach (var name in metrics.Names)
        {
            var shadow = metrics.For(name).Shadow;
            yield return new(shadow.Mirrored, Tag(name), new("outcome", "mirrored"));
            yield return new(shadow.Dropped, Tag(name), new("outcome", "dropped"));
            yield return new(shadow.Skipped, Tag(name), new("outcome", "skipped"));
        }
    }

    private static IEnumerable<Measurement<long>> Comparisons(MetricsRegistry metrics)
    {
        foreach (var name in metrics.Names)
        {
            var shadow = metrics.For(name).Shadow;
            yield return new(shadow.Equal, Tag(name), new("result", "equal"));
            yield return new(shadow.Divergent, Tag(name), new("result", "divergent"));
        }
    }

    private static KeyValuePair<string, object?> Tag(string migration) => new(CutoverActivities.MigrationTag, migration);
}
