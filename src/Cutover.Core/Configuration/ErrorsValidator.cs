using Cutover.Core.Values;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a migration's <c>errors</c> section and builds its <see cref="ErrorPolicy"/>. Each bad
/// status is reported on its own line, so a long list is fixed in one go.
/// </summary>
internal static class ErrorsValidator
{
    /// <summary>Validates <paramref name="errors"/>; <paramref name="fail"/> gets (line, key, message).</summary>
    public static ErrorPolicy Validate(ErrorsConfig errors, Action<int, string, string> fail)
    {
        var statuses = errors.Statuses is null ? [.. ErrorPolicy.DefaultStatuses] : new List<StatusRange>();
        foreach (var entry in errors.Statuses ?? [])
        {
            if (StatusRange.TryParse(entry.Text, out var range, out var problem))
            {
                statuses.Add(range);
            }
            else
            {
                fail(entry.Line, "errors.statuses", problem);
            }
        }

        var grpcStatuses = errors.GrpcStatuses is null ? [.. GrpcStatusCodes.DefaultErrors] : new List<int>();
        foreach (var entry in errors.GrpcStatuses ?? [])
        {
            if (GrpcStatusCodes.TryParse(entry.Text, out var code))
            {
                grpcStatuses.Add(code);
            }
            else
            {
                fail(entry.Line, "errors.grpcStatuses", $"'{entry.Text}' is not a gRPC status; use a name ({GrpcStatusCodes.List}) or a number from 0 to {GrpcStatusCodes.Highest}");
            }
        }

        var connectionFailures = errors.ConnectionFailures ?? ErrorPolicy.Default.ConnectionFailures;
        var timeouts = errors.Timeouts ?? ErrorPolicy.Default.Timeouts;
        if (errors.Statuses is { Count: 0 } && errors.GrpcStatuses is not { Count: > 0 } && !connectionFailures && !timeouts)
        {
            fail(errors.Line, "errors",
                "counts nothing as an error, so the error rates would always be 0 and no gate or trigger on them could fail; list a status such as 5xx in statuses, or set connectionFailures or timeouts to true");
        }

        return new ErrorPolicy(statuses, connectionFailures, timeouts, UnansweredAfter(errors, timeouts, fail), grpcStatuses);
    }

    private static TimeSpan? UnansweredAfter(ErrorsConfig errors, bool timeouts, Action<int, string, string> fail)
    {
        if (errors.UnansweredAfter is not { } text)
        {
            return null;
        }

        if (!timeouts)
        {
            fail(errors.Line, "errors.unansweredAfter",
                "has no effect with timeouts: false (a request waiting for its answer counts as an early timeout); remove it, or set timeouts to true");
            return null;
        }

        if (!Duration.TryParse(text, out var threshold) || threshold < TimeSpan.FromSeconds(1) || threshold > ErrorPolicy.MaxUnansweredAfter)
        {
            fail(errors.Line, "errors.unansweredAfter",
                $"'{text}' is not a duration from 1s to {ErrorPolicy.MaxUnansweredAfter.TotalMinutes:0}m; use {Duration.AllowedForms}, above the longest a healthy backend takes to start answering");
            return null;
        }

        return threshold;
    }
}
