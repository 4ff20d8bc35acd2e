using Cutover.Core.Configuration;
using Cutover.Core.Routing;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Tests.Configuration;

/// <summary>The <c>failover</c> section of a migration: its short forms, its keys, and every way to get it wrong.</summary>
public class FailoverConfigTests
{
    [Fact]
    public void Load_FailoverMapping_ParsesEveryKey()
    {
        var orders = Assert.Single(ConfigLoader.Load(OneMigrationFile.With("""
                failover:
                  statuses: [502-504, 429]
                  grpcUnavailable: true
                  maxBodyBytes: 1024
            """), "c.yaml").Migrations);

        Assert.Equal(new FailoverPolicy([new StatusRange(502, 504), new StatusRange(429, 429)], grpcUnavailable: true, 1024), orders.Failover);
        Assert.True(orders.Failover!.Refuses(503));
        Assert.True(orders.Failover.Refuses(429));
        Assert.False(orders.Failover.Refuses(500));
    }

    [Theory]
    [InlineData("failover: true")]
    [InlineData("failover: {}")]
    public void Load_FailoverTrueOrEmpty_TakesTheDefaults(string line)
    {
        var orders = Assert.Single(ConfigLoader.Load(OneMigrationFile.With("    " + line), "c.yaml").Migrations);

        Assert.Equal(FailoverPolicy.Default, orders.Failover);
        Assert.Equal(65536, orders.Failover!.MaxBodyBytes);
        Assert.False(orders.Failover.RefusesAnswers);
    }

    [Theory]
    [InlineData("failover: false")]
    [InlineData("")]
    public void Load_FailoverFalseOrLeftOut_IsOff(string line)
    {
        var orders = Assert.Single(ConfigLoader.Load(OneMigrationFile.With("    " + line), "c.yaml").Migrations);

        Assert.Null(orders.Failover);
    }

    [Fact]
    public void Equals_StatusesWrittenDifferently_AreTheSamePolicy()
    {
        Assert.Equal(new FailoverPolicy([StatusRange.Class(5)], false, 10), new FailoverPolicy([new StatusRange(500, 549), new StatusRange(550, 599)], false, 10));
        Assert.NotEqual(new FailoverPolicy([StatusRange.Class(5)], false, 10), new FailoverPolicy([new StatusRange(500, 598)], false, 10));
    }

    [Theory]
    [InlineData("failover: sometimes", "failover: expected true, false or a mapping of keys (statuses, grpcUnavailable, maxBodyBytes); write 'failover: true' for the defaults")]
    [InlineData("failover: [503]", "failover: expected true, false or a mapping of keys (statuses, grpcUnavailable, maxBodyBytes)")]
    [InlineData("failover: { status: [503] }", "failover.status: unknown key; did you mean 'statuses'? Allowed keys here: statuses, grpcUnavailable, maxBodyBytes")]
    [InlineData("failover: { statuses: [200] }", "failover.statuses: '200' includes answers that are not failures (below 400); failover replays only failed answers: list codes from 400 to 599, such as 502, 503 and 504")]
    [InlineData("failover: { statuses: [3xx] }", "failover.statuses: '3xx' includes answers that are not failures (below 400)")]
    [InlineData("failover: { statuses: [6xx] }", "failover.statuses: '6xx' is not a status class; use a class such as 5xx")]
    [InlineData("failover: { statuses: [unavailable] }", "failover.statuses: 'unavailable' is not a status; use a class such as 5xx (1xx to 5xx), a code such as 429, or a range such as 500-504")]
    [InlineData("failover: { grpcUnavailable: yes }", "failover.grpcUnavailable: 'yes' is not true or false")]
    [InlineData("failover: { maxBodyBytes: -1 }", "failover.maxBodyBytes: -1 is not a whole number in 0..16777216; give the number of bytes of request body kept so the request can be replayed")]
    [InlineData("failover: { maxBodyBytes: 1.5 }", "failover.maxBodyBytes: 1.5 is not a whole number in 0..16777216")]
    [InlineData("failover: { maxBodyBytes: 1gb }", "failover.maxBodyBytes: '1gb' is not a number; use a number of bytes, e.g. 65536")]
    public void Load_BadFailoverValue_NamesTheMigrationKeyValueAndTheFix(string line, string expected)
    {
        var error = OneMigrationFile.SingleError(line);

        Assert.StartsWith("cutover.yaml:6: ", error);
        Assert.Contains("migration 'orders': " + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EveryBadStatus_IsReportedOnItsOwnLine()
    {
        var errors = OneMigrationFile.Errors(OneMigrationFile.With("""
                failover:
                  statuses:
                    - 503
                    - 7xx
                    - 200
            """));

        Assert.Equal(
            [
                "cutover.yaml:9: migration 'orders': failover.statuses: '7xx' is not a status class; use a class such as 5xx (1xx to 5xx), a code such as 429, or a range such as 500-504",
                "cutover.yaml:10: migration 'orders': failover.statuses: '200' includes answers that are not failures (below 400); failover replays only failed answers: list codes from 400 to 599, such as 502, 503 and 504",
            ],
            errors);
    }

    [Fact]
    public void Load_FailoverOnACodeMigration_IsRefusedNamingTheSdksFallback()
    {
        var errors = OneMigrationFile.Errors("""
            migrations:
              - name: pricing
                kind: code
                failover: true
            """);

        Assert.Contains(errors, e => e.Contains("migration 'pricing': failover: is not allowed", StringComparison.Ordinal) && e.Contains("fallback", StringComparison.Ordinal));
    }
}
