using System.Text.Json;
using Cutover.Client.Comparison;
using Cutover.Client.Reporting;
using Cutover.Client.Running;
using Cutover.Client.Setup;
using Cutover.Client.Tests.Infrastructure;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Link;
using Cutover.Kernel.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cutover.Client.Tests.Reporting;

public sealed class DivergenceSampleTests
{
    private sealed record InvoiceTax(decimal Net, decimal Vat);

    private sealed record TaxLine(decimal NetAmount, decimal VatAmount);

    private sealed record Account(string Owner, string Iban, decimal Balance);

    private sealed record ApiKeyEntry(string Name, string ApiKey);

    private sealed record Login(string User, string Password, ApiKeyEntry[] Keys, Account Account);

    private static readonly RunOptions<Account> AfterLegacy = new() { ShadowExecution = ShadowExecution.AfterLegacy };

    [Fact]
    public async Task Sample_RedactedFields_AreMaskedInBothResults()
    {
        using var sdk = ClientUnderTest.Start(o => o.RedactedFields.Add("Iban")).With(MigrationMode.Shadow);

        await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(new Account("ann", "DE89370400440532013000", 10m)),
            _ => Task.FromResult(new Account("ann", "DE89370400440532013000", 12m)), "user-1", AfterLegacy);

        var sample = Assert.Single(sdk.Samples.Drain());
        Assert.Equal("""{"owner":"ann","iban":"[redacted]","balance":10}""", sample.Legacy);
        Assert.Equal("""{"owner":"ann","iban":"[redacted]","balance":12}""", sample.Candidate);
    }

    [Fact]
    public async Task Sample_DefaultSecretNamesAndRedactedFields_AreMaskedIgnoringCase()
    {
        using var sdk = ClientUnderTest.Start(o => o.RedactedFields.Add("iban")).With(MigrationMode.Shadow);
        var options = new RunOptions<Login> { ShadowExecution = ShadowExecution.AfterLegacy, Comparison = ResultComparison<Login>.Json() };

        await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(new Login("ann", "hunter2", [new("ci", "key-1")], new Account("ann", "DE89370400440532013000", 10m))),
            _ => Task.FromResult(new Login("ann", "hunter2", [], new Account("ann", "DE89370400440532013000", 12m))), "user-1", options);

        var sample = Assert.Single(sdk.Samples.Drain());
        Assert.Equal("""{"user":"ann","password":"[redacted]","keys":[{"name":"ci","apiKey":"[redacted]"}],"account":{"owner":"ann","iban":"[redacted]","balance":10}}""", sample.Legacy);
        Assert.Equal("""{"user":"ann","password":"[redacted]","keys":[],"account":{"owner":"ann","iban":"[redacted]","balance":12}}""", sample.Candidate);
        Assert.Contains(new Difference("$.keys[0]", DifferenceKind.Missing, """{"name":"ci","apiKey":"[redacted]"}""", null), sample.Differences);
        Assert.Contains(new Difference("$.account.balance", DifferenceKind.ValueChanged, "10", "12"), sample.Differences);
        Assert.DoesNotContain(sample.Differences, d => $"{d.Legacy}{d.Candidate}".Contains("key-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sample_JsonComparison_NamesFieldsAsItsDifferencesNameThem()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        var options = new RunOptions<InvoiceTax> { ShadowExecution = ShadowExecution.AfterLegacy, Comparison = ResultComparison<InvoiceTax>.Json() };

        await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(new InvoiceTax(100m, 19m)), _ => Task.FromResult(new InvoiceTax(100m, 21m)), options: options);

        var sample = Assert.Single(sdk.Samples.Drain());
        Assert.Equal(new Difference("$.vat", DifferenceKind.ValueChanged, "19", "21"), Assert.Single(sample.Differences));
        Assert.Equal(("""{"net":100,"vat":19}""", """{"net":100,"vat":21}"""), (sample.Legacy, sample.Candidate));
    }

    [Fact]
    public async Task Sample_JsonComparisonWithItsOwnSerializer_IsWrittenWithThatSerializer()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        var snakeCase = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var options = new RunOptions<TaxLine> { ShadowExecution = ShadowExecution.AfterLegacy, Comparison = ResultComparison<TaxLine>.Json(serializer: snakeCase) };

        await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(new TaxLine(100m, 19m)), _ => Task.FromResult(new TaxLine(100m, 21m)), options: options);

        var sample = Assert.Single(sdk.Samples.Drain());
        Assert.Equal("$.vat_amount", Assert.Single(sample.Differences).Path);
        Assert.Equal("""{"net_amount":100,"vat_amount":19}""", sample.Legacy);
    }

    [Fact]
    public async Task Sample_CustomRenderAndRedactor_AreUsed()
    {
        using var sdk = ClientUnderTest.Start(services: s => s.AddSingleton<IResultRedactor, UpperCaseRedactor>()).With(MigrationMode.Shadow);
        var options = new RunOptions<Account> { ShadowExecution = ShadowExecution.AfterLegacy, Render = a => $"{a.Owner} has {a.Balance}" };

        await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(new Account("ann", "x", 10m)), _ => Task.FromResult(new Account("ann", "x", 12m)), options: options);

        var sample = Assert.Single(sdk.Samples.Drain());
        Assert.Equal(("ANN HAS 10", "ANN HAS 12", null), (sample.Legacy, sample.Candidate, sample.StickyKey));
    }

    [Fact]
    public async Task Buffer_WhenFull_DropsAndCountsUntilDrained()
    {
        using var sdk = ClientUnderTest.Start(o => o.SampleCapacity = 2).With(MigrationMode.Shadow);

        for (var i = 0; i < 5; i++)
        {
            await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(i), _ => Task.FromResult(-i - 1), options: new RunOptions<int> { ShadowExecution = ShadowExecution.AfterLegacy });
        }

        Assert.Equal(["0", "1"], sdk.Samples.Drain().Select(s => s.Legacy));
        Assert.Equal((3L, 5L), (sdk.Samples.Dropped, sdk.Counters.Shadow.Divergent));
        Assert.Empty(sdk.Samples.Drain());
        Assert.True(sdk.Samples.HasRoom);
    }

    [Fact]
    public async Task Sample_IsCutToTheLimitsAReportCarries()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        var legacy = Enumerable.Range(0, 50).ToDictionary(i => $"field{i}", i => new string('a', 300 + i));
        var candidate = legacy.ToDictionary(p => p.Key, p => p.Value.ToUpperInvariant());
        var options = new RunOptions<Dictionary<string, string>> { ShadowExecution = ShadowExecution.AfterLegacy, Comparison = ResultComparison<Dictionary<string, string>>.Json() };

        await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(legacy), _ => Task.FromResult(candidate), new string('k', 1000), options);

        var sample = Assert.Single(sdk.Samples.Drain());
        Assert.Equal((SampleLimits.ResultChars, SampleLimits.ResultChars, true, true), (sample.Legacy.Length, sample.Candidate.Length, sample.LegacyTruncated, sample.CandidateTruncated));
        Assert.Equal((SampleLimits.DifferencesPerSample, 50), (sample.Differences.Count, sample.TotalDifferences));
        Assert.Equal(SampleLimits.FieldChars, sample.StickyKey!.Length);
        Assert.All(sample.Differences, d => Assert.True(d.Legacy!.Length <= SampleLimits.FieldChars));
    }

    [Fact]
    public void Buffer_ZeroCapacity_FailsNamingTheOption()
    {
        var thrown = Assert.Throws<OptionsValidationException>(() => ClientUnderTest.Start(o => o.SampleCapacity = 0));

        Assert.Equal("Cutover:SampleCapacity is 0: it must be at least 1 (100 by default).", Assert.Single(thrown.Failures));
    }

    private sealed class UpperCaseRedactor : IResultRedactor
    {
        public string Redact(string migration, string result) => result.ToUpperInvariant();

        public Difference Redact(string migration, Difference difference) => difference;
    }
}
