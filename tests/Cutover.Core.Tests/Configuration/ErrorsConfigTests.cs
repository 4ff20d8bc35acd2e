using Cutover.Core.Configuration;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Tests.Configuration;

/// <summary>The <c>errors</c> section of a migration: what counts as an error in its metrics, and every way to get it wrong.</summary>
public class ErrorsConfigTests
{
    [Fact]
    public void Load_ErrorsSection_ParsesEveryKey()
    {
        var orders = Assert.Single(ConfigLoader.Load(OneMigrationFile.With("""
                errors:
                  statuses: ["5xx", 429, 400-403]
                  connectionFailures: false
                  timeouts: false
            """), "c.yaml").Migrations);

        var expected = new ErrorPolicy([StatusRange.Class(5), new StatusRange(429, 429), new StatusRange(400, 403)], connectionFailures: false, timeouts: false);
        Assert.Equal(expected, orders.Errors);
        Assert.Equal(ErrorCause.Status, orders.Errors.Classify(BackendOutcome.Answered, 402));
        Assert.Equal(ErrorCause.None, orders.Errors.Classify(BackendOutcome.Timeout, 504));
    }

    [Fact]
    public void Load_UnansweredAfter_SetsTheThreshold_AndTimeoutsOff_TurnsItOff()
    {
        var set = Assert.Single(ConfigLoader.Load(OneMigrationFile.With("    errors: { unansweredAfter: 30s }"), "c.yaml").Migrations);
        var off = Assert.Single(ConfigLoader.Load(OneMigrationFile.With("    errors: { timeouts: false }"), "c.yaml").Migrations);

        Assert.Equal(TimeSpan.FromSeconds(30), set.Errors.UnansweredAfter);
        Assert.Null(off.Errors.UnansweredAfter);
        Assert.Equal(TimeSpan.FromSeconds(5), ErrorPolicy.Default.UnansweredAfter);
    }

    [Fact]
    public void Load_NoErrorsSection_Counts5xxConnectionFailuresAndTimeouts()
    {
        var orders = Assert.Single(ConfigLoader.Load(OneMigrationFile.With(string.Empty), "c.yaml").Migrations);

        Assert.Equal(ErrorPolicy.Default, orders.Errors);
    }

    [Theory]
    [InlineData("errors: { timeouts: false }", 500, 599, true, false)]
    [InlineData("errors: { connectionFailures: false }", 500, 599, false, true)]
    [InlineData("errors: { statuses: 429 }", 429, 429, true, true)]
    [InlineData("errors: { statuses: [] }", 0, 0, true, true)]
    [InlineData("errors: {}", 500, 599, true, true)]
    public void Load_KeysLeftOut_KeepTheirDefaults(string section, int from, int to, bool connectionFailures, bool timeouts)
    {
        var orders = Assert.Single(ConfigLoader.Load(OneMigrationFile.With("    " + section), "c.yaml").Migrations);

        StatusRange[] statuses = from == 0 ? [] : [new StatusRange(from, to)];
        Assert.Equal(new ErrorPolicy(statuses, connectionFailures, timeouts), orders.Errors);
    }

    [Theory]
    [InlineData("errors: { statuses: [6xx] }", "errors.statuses: '6xx' is not a status class; use a class such as 5xx (1xx to 5xx), a code such as 429, or a range such as 500-504")]
    [InlineData("errors: { statuses: [600] }", "errors.statuses: '600' is outside 100..599, the status codes HTTP defines; use a class such as 5xx (1xx to 5xx), a code such as 429, or a range such as 500-504")]
    [InlineData("errors: { statuses: [42] }", "errors.statuses: '42' is outside 100..599")]
    [InlineData("errors: { statuses: [504-500] }", "errors.statuses: '504-500' is a reversed range; write the lower code first (500-504)")]
    [InlineData("errors: { statuses: [teapot] }", "errors.statuses: 'teapot' is not a status; use a class such as 5xx")]
    [InlineData("errors: { statuses: { 5xx: true } }", "errors.statuses: expected a list of values, found a mapping")]
    [InlineData("errors: { statuses: [[5xx]] }", "errors.statuses: expected a single value, found a list")]
    [InlineData("errors: { timeouts: sometimes }", "errors.timeouts: 'sometimes' is not true or false")]
    [InlineData("errors: { connectionFailures: 1 }", "errors.connectionFailures: '1' is not true or false")]
    [InlineData("errors: { timeout: false }", "errors.timeout: unknown key; did you mean 'timeouts'? Allowed keys here: statuses, grpcStatuses, connectionFailures, timeouts, unansweredAfter")]
    [InlineData("errors: { statuses: }", "errors.statuses: an empty entry; use a class such as 5xx (1xx to 5xx), a code such as 429, or a range such as 500-504")]
    [InlineData("errors: [5xx]", "errors: expected a mapping of keys (statuses, grpcStatuses, connectionFailures, timeouts, unansweredAfter), found a list")]
    [InlineData("errors: { statuses: [], connectionFailures: false, timeouts: false }",
        "errors: counts nothing as an error, so the error rates would always be 0 and no gate or trigger on them could fail; list a status such as 5xx in statuses, or set connectionFailures or timeouts to true")]
    [InlineData("errors: { unansweredAfter: 500ms }", "errors.unansweredAfter: '500ms' is not a duration from 1s to 5m; use")]
    [InlineData("errors: { unansweredAfter: 10m }", "errors.unansweredAfter: '10m' is not a duration from 1s to 5m")]
    [InlineData("errors: { unansweredAfter: soon }", "errors.unansweredAfter: 'soon' is not a duration from 1s to 5m")]
    [InlineData("errors: { timeouts: false, unansweredAfter: 5s }", "errors.unansweredAfter: has no effect with timeouts: false (a request waiting for its answer counts as an early timeout); remove it, or set timeouts to true")]
    public void Load_BadErrorsValue_NamesTheMigrationKeyValueAndTheFix(string line, string expected)
    {
        var error = OneMigrationFile.SingleError(line);

        Assert.StartsWith("cutover.yaml:6: ", error);
        Assert.Contains("migration 'orders': " + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EveryBadStatus_IsReportedOnItsOwnLine()
    {
        var errors = OneMigrationFile.Errors(OneMigrationFile.With("""
                errors:
                  statuses:
                    - 5xx
                    - 7xx
                    - 429
                    - 504-500
                  timeouts: maybe
            """));

        Assert.Equal(
            [
                "cutover.yaml:9: migration 'orders': errors.statuses: '7xx' is not a status class; use a class such as 5xx (1xx to 5xx), a code such as 429, or a range such as 500-504",
                "cutover.yaml:11: migration 'orders': errors.statuses: '504-500' is a reversed range; write the lower code first (500-504)",
                "cutover.yaml:12: migration 'orders': errors.timeouts: 'maybe' is not true or false",
            ],
            errors);
    }
}
