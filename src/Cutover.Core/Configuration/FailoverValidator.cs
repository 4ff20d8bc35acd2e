using Cutover.Core.Routing;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a migration's <c>failover</c> section and builds its <see cref="FailoverPolicy"/>, or
/// null when failover is off. Each bad status is reported on its own line, as in <c>errors</c>.
/// </summary>
internal static class FailoverValidator
{
    /// <summary>The largest body a migration may keep per request: every request in flight to the candidate may hold this much.</summary>
    private const long MaxBufferBytes = 16L * 1024 * 1024;

    /// <summary>Validates <paramref name="failover"/>; <paramref name="fail"/> gets (line, key, message).</summary>
    public static FailoverPolicy? Validate(FailoverConfig failover, Action<int, string, string> fail)
    {
        var statuses = new List<StatusRange>();
        foreach (var entry in failover.Statuses ?? [])
        {
            if (!StatusRange.TryParse(entry.Text, out var range, out var problem))
            {
                fail(entry.Line, "failover.statuses", problem);
            }
            else if (range.From < 400)
            {
                fail(entry.Line, "failover.statuses",
                    $"'{entry.Text}' includes answers that are not failures (below 400); failover replays only failed answers: list codes from 400 to 599, such as 502, 503 and 504");
            }
            else
            {
                statuses.Add(range);
            }
        }

        var maxBody = ValueRules.WholeNumber(failover.MaxBodyBytes, FailoverPolicy.DefaultMaxBodyBytes, 0, MaxBufferBytes,
            "failover.maxBodyBytes", "bytes of request body kept so the request can be replayed (each request in flight to the candidate may hold this much)",
            (key, message) => fail(failover.Line, key, message));
        if (!failover.Enabled)
        {
            return null;
        }

        return new FailoverPolicy(statuses, failover.GrpcUnavailable ?? false, maxBody);
    }
}
