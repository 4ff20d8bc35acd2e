using Cutover.Client.Comparison;
using Cutover.Client.Running;
using Cutover.Client.Setup;
using Cutover.Client.Tests.Infrastructure;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Routing;
using Microsoft.Extensions.Options;

namespace Cutover.Client.Tests.Comparison;

public sealed class ComparisonTests
{
    private sealed record Invoice(string Customer, decimal Tax, DateTime ComputedAt);

    private static readonly Invoice Legacy = new("acme", 19.00m, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    [Fact]
    public async Task RunAsync_DefaultComparison_UsesEquals()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);

        await ShadowAsync(sdk, Legacy with { }, null);

        Assert.Equal((1L, 0L), (sdk.Counters.Shadow.Equal, sdk.Counters.Shadow.Divergent));
    }

    [Fact]
    public async Task RunAsync_CustomComparer_DecidesEquality()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        var byCustomerAndTax = ResultComparison<Invoice>.Using((a, b) => a.Customer == b.Customer && a.Tax == b.Tax);
        var byCustomer = ResultComparison<Invoice>.Using(EqualityComparer<Invoice>.Create((a, b) => a!.Customer == b!.Customer, i => i.Customer.GetHashCode(StringComparison.Ordinal)));

        await ShadowAsync(sdk, Legacy with { ComputedAt = DateTime.UnixEpoch }, new() { Comparison = byCustomerAndTax });
        await ShadowAsync(sdk, Legacy with { Tax = 21m }, new() { Comparison = byCustomerAndTax });
        await ShadowAsync(sdk, Legacy with { Tax = 21m }, new() { Comparison = byCustomer });

        Assert.Equal((2L, 1L), (sdk.Counters.Shadow.Equal, sdk.Counters.Shadow.Divergent));
    }

    [Fact]
    public async Task RunAsync_JsonComparison_IgnoresThePathsItIsToldToAndListsTheRest()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        JsonPathPattern.TryParse("$.computedAt", out var computedAt, out _);
        var json = new RunOptions<Invoice> { Comparison = ResultComparison<Invoice>.Json(ComparisonRules.Exact with { Ignore = [computedAt!] }) };

        await ShadowAsync(sdk, Legacy with { ComputedAt = DateTime.UnixEpoch }, json);
        await ShadowAsync(sdk, Legacy with { Tax = 21m, ComputedAt = DateTime.UnixEpoch }, json);

        Assert.Equal((1L, 1L), (sdk.Counters.Shadow.Equal, sdk.Counters.Shadow.Divergent));
        var difference = Assert.Single(Assert.Single(sdk.Samples.Drain()).Differences);
        Assert.Equal(new Difference("$.tax", DifferenceKind.ValueChanged, "19.00", "21"), difference);
    }

    [Fact]
    public async Task RunAsync_JsonRulesFromConfiguration_AreTheMigrationsDefault()
    {
        using var sdk = ClientUnderTest.FromSettings(new Dictionary<string, string?>
        {
            ["Cutover:Migrations:billing-tax:Json:Ignore:0"] = "$.computedAt",
            ["Cutover:Migrations:billing-tax:Json:NumericTolerance"] = "0.01",
            ["Cutover:Migrations:billing-tax:ShadowExecution"] = "AfterLegacy",
        }).With(MigrationMode.Shadow);

        await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(Legacy), _ => Task.FromResult(Legacy with { Tax = 19.004m, ComputedAt = DateTime.UnixEpoch }));

        Assert.Equal(1L, sdk.Counters.Shadow.Equal);
    }

    [Fact]
    public void AddCutover_BadOptions_ListsEveryProblem()
    {
        var thrown = Assert.Throws<OptionsValidationException>(() => ClientUnderTest.FromSettings(new Dictionary<string, string?>
        {
            ["Cutover:Migrations:billing-tax:Json:Ignore:0"] = "computedAt",
            ["Cutover:Migrations:pricing:CandidateTimeout"] = "00:00:00",
        }));

        Assert.Equal(
            [
                "Cutover:Migrations:billing-tax:Json:Ignore[0] 'computedAt' is not a JSON path: it must start with $; write " + JsonPathPattern.AllowedForms + ".",
                "Cutover:Migrations:pricing:CandidateTimeout is 00:00:00: it must be positive, such as 00:00:02 for two seconds.",
            ],
            thrown.Failures);
    }

    private static Task<Invoice> ShadowAsync(ClientUnderTest sdk, Invoice candidate, RunOptions<Invoice>? options) =>
        sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(Legacy), _ => Task.FromResult(candidate), "user-1",
            new RunOptions<Invoice> { Comparison = options?.Comparison, ShadowExecution = ShadowExecution.AfterLegacy });
}
