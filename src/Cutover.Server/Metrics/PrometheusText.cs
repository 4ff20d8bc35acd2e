using System.Globalization;
using System.Text;
using Cutover.Core.Notifications;
using Cutover.Core.State;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;
using Cutover.Server.Notifications;

namespace Cutover.Server.Metrics;

/// <summary>
/// Writes the process's counters in Prometheus' text format for <c>GET /metrics</c>, labelled
/// by migration and side, so the fleet can be graphed and alerted on with the tools operators
/// already run. Counters are since the process started, as Prometheus expects; latency is a
/// histogram with fixed bounds read from Cutover's finer one. Webhooks are labelled by their
/// position in <c>notifications.webhooks</c> (<c>webhook="0"</c>): the URL may hold a secret, and
/// <c>cutover_webhook_info</c> tells the host and format behind each position.
/// </summary>
internal static class PrometheusText
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Bucket bounds in seconds: 0.5 ms to 10 s, the range a proxied request lives in.
    private static readonly double[] Bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly MigrationMode[] Modes = Enum.GetValues<MigrationMode>();

    /// <summary>The exposition for the migrations' current states and the webhooks' deliveries.</summary>
    public static string Write(IEnumerable<MigrationState> states, MetricsRegistry metrics, IReadOnlyList<WebhookLane> webhooks)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        var list = states.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();

        Family(text, "cutover_requests_total", "counter", "Requests forwarded to a side of a migration.");
        EachSide(text, list, metrics, (name, side, counters) => Sample(text, "cutover_requests_total", Labels(name, side), counters.Requests));
        Family(text, "cutover_request_errors_total", "counter", "Requests that counted as errors: a 5xx from the backend, a refused connection or a timeout.");
        EachSide(text, list, metrics, (name, side, counters) => Sample(text, "cutover_request_errors_total", Labels(name, side), counters.Errors));

        Family(text, "cutover_request_duration_seconds", "histogram", "Time from forwarding a request to the end of its response, as the proxy saw it.");
        EachSide(text, list, metrics, (name, side, counters) => Histogram(text, Labels(name, side), counters.Latency.ReadCounts()));

        Family(text, "cutover_failover_rescued_total", "counter",
            "Requests the candidate failed before answering that legacy answered instead (failover); each is also one of the candidate's request errors.");
        foreach (var state in list)
        {
            Sample(text, "cutover_failover_rescued_total", $"migration=\"{state.Name}\"", metrics.For(state.Name).Rescued);
        }

        Family(text, "cutover_shadow_copies_total", "counter", "Requests eligible for mirroring, by what became of them: mirrored, dropped (queue or byte budget full) or skipped.");
        foreach (var state in list)
        {
            var shadow = metrics.For(state.Name).Shadow;
            Sample(text, "cutover_shadow_copies_total", $"migration=\"{state.Name}\",outcome=\"mirrored\"", shadow.Mirrored);
            Sample(text, "cutover_shadow_copies_total", $"migration=\"{state.Name}\",outcome=\"dropped\"", shadow.Dropped);
            Sample(text, "cutover_shadow_copies_total", $"migration=\"{state.Name}\",outcome=\"skipped\"", shadow.Skipped);
        }

        Family(text, "cutover_shadow_queued_bytes", "gauge", "Bytes the shadow copies waiting or in flight hold (request bodies, legacy's captured answers, headers), against shadow.maxQueuedBytes.");
        foreach (var state in list)
        {
            Sample(text, "cutover_shadow_queued_bytes", $"migration=\"{state.Name}\"", metrics.For(state.Name).Shadow.Queued.Held);
        }

        Family(text, "cutover_shadow_comparisons_total", "counter", "Shadow pairs compared, by result.");
        foreach (var state in list)
        {
            var shadow = metrics.For(state.Name).Shadow;
            Sample(text, "cutover_shadow_comparisons_total", $"migration=\"{state.Name}\",result=\"equal\"", shadow.Equal);
            Sample(text, "cutover_shadow_comparisons_total", $"migration=\"{state.Name}\",result=\"divergent\"", shadow.Divergent);
        }

        Family(text, "cutover_shadow_candidate_errors_total", "counter", "Copies the candidate did not answer in full.");
        foreach (var state in list)
        {
            Sample(text, "cutover_shadow_candidate_errors_total", $"migration=\"{state.Name}\"", metrics.For(state.Name).Shadow.CandidateErrors);
        }

        Family(text, "cutover_overridden_requests_total", "counter", "Requests a tester forced to a side with the route override; not in cutover_requests_total.");
        EachSide(text, list, metrics, (name, side, _) => Sample(text, "cutover_overridden_requests_total", Labels(name, side), metrics.For(name).Overrides.Of(side)));
        Family(text, "cutover_overridden_request_errors_total", "counter", "Requests forced to a side that counted as errors; not in cutover_request_errors_total.");
        EachSide(text, list, metrics, (name, side, _) => Sample(text, "cutover_overridden_request_errors_total", Labels(name, side), metrics.For(name).Overrides.ErrorsOf(side)));
        Family(text, "cutover_override_ignored_total", "counter", "Requests that asked for a side with the route override and were routed as usual: a bad value, a client outside its networks, a missing or wrong secret, or a retired migration.");
        foreach (var state in list)
        {
            Sample(text, "cutover_override_ignored_total", $"migration=\"{state.Name}\"", metrics.For(state.Name).Overrides.Ignored);
        }

        Family(text, "cutover_migration_weight", "gauge", "Percent of traffic sent to the candidate in canary mode.");
        foreach (var state in list)
        {
            Sample(text, "cutover_migration_weight", $"migration=\"{state.Name}\"", state.Weight.Percent);
        }

        Family(text, "cutover_migration_mode", "gauge", "1 for the migration's current mode, 0 for the others.");
        foreach (var state in list)
        {
            foreach (var mode in Modes)
            {
                Sample(text, "cutover_migration_mode", $"migration=\"{state.Name}\",mode=\"{mode.ToWire()}\"", mode == state.Mode ? 1 : 0);
            }
        }

        if (webhooks.Count > 0)
        {
            Webhooks(text, webhooks);
        }

        return text.ToString();
    }

    private static void Webhooks(StringBuilder text, IReadOnlyList<WebhookLane> webhooks)
    {
        Family(text, "cutover_webhook_info", "gauge", "1 for each webhook, naming the host and format behind its position in notifications.webhooks.");
        foreach (var lane in webhooks)
        {
            var webhook = lane.Webhook;
            Sample(text, "cutover_webhook_info", $"webhook=\"{webhook.Index}\",host=\"{webhook.Url.Host}\",format=\"{webhook.Format.ToWire()}\"", 1);
        }

        Family(text, "cutover_webhook_deliveries_total", "counter",
            "Rollout events by what became of them: delivered (2xx), failed (refused with a 4xx, an address webhooks may not reach, or still failing after every retry) or dropped (queue full, or shutdown).");
        foreach (var lane in webhooks)
        {
            var labels = $"webhook=\"{lane.Webhook.Index}\"";
            Sample(text, "cutover_webhook_deliveries_total", labels + ",outcome=\"delivered\"", lane.Counters.Delivered);
            Sample(text, "cutover_webhook_deliveries_total", labels + ",outcome=\"failed\"", lane.Counters.Failed);
            Sample(text, "cutover_webhook_deliveries_total", labels + ",outcome=\"dropped\"", lane.Counters.Dropped);
        }

        Family(text, "cutover_webhook_retries_total", "counter", "Attempts after an event's first: a receiver that is down, slow, failing (5xx) or limiting (429).");
        foreach (var lane in webhooks)
        {
            Sample(text, "cutover_webhook_retries_total", $"webhook=\"{lane.Webhook.Index}\"", lane.Counters.Retries);
        }

        Family(text, "cutover_webhook_queued", "gauge", $"Events waiting for their webhook, besides the one being delivered; at {WebhookLane.Capacity} the oldest are dropped.");
        foreach (var lane in webhooks)
        {
            Sample(text, "cutover_webhook_queued", $"webhook=\"{lane.Webhook.Index}\"", lane.Queued);
        }
    }

    private static void EachSide(StringBuilder text, IEnumerable<MigrationState> states, MetricsRegistry metrics, Action<string, Side, SideCounters> write)
    {
        foreach (var state in states)
        {
            var counters = metrics.For(state.Name);
            write(state.Name, Side.Legacy, counters.Legacy);
            write(state.Name, Side.Candidate, counters.Candidate);
        }
    }

    /// <summary>
    /// Cumulative counts at each bound. A slot is counted under the first bound its lower edge
    /// does not pass, so a count errs by at most one slot's width (under 0.8%) at a bound; the sum
    /// uses each slot's middle value.
    /// </summary>
    private static void Histogram(StringBuilder text, string labels, long[] slots)
    {
        var bound = 0;
        var cumulative = 0L;
        var sum = 0.0;
        var counts = new long[Bounds.Length];
        for (var slot = 0; slot < slots.Length; slot++)
        {
            if (slots[slot] == 0)
            {
                continue;
            }

            var seconds = LatencyHistogram.LowerBoundOf(slot) / 1e6;
            while (bound < Bounds.Length && seconds > Bounds[bound])
            {
                counts[bound++] = cumulative;
            }

            cumulative += slots[slot];
            sum += LatencyHistogram.ValueOf(slot) / 1e6 * slots[slot];
        }

        while (bound < Bounds.Length)
        {
            counts[bound++] = cumulative;
        }

        for (var i = 0; i < Bounds.Length; i++)
        {
            Sample(text, "cutover_request_duration_seconds_bucket", $"{labels},le=\"{Bounds[i].ToString(CultureInfo.InvariantCulture)}\"", counts[i]);
        }

        Sample(text, "cutover_request_duration_seconds_bucket", $"{labels},le=\"+Inf\"", cumulative);
        Sample(text, "cutover_request_duration_seconds_sum", labels, sum);
        Sample(text, "cutover_request_duration_seconds_count", labels, cumulative);
    }

    private static string Labels(string migration, Side side) => $"migration=\"{migration}\",side=\"{side.ToWire()}\"";

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}
