using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary>
/// <c>status</c> and <c>diff</c> over a real Cutover whose migrations have long names, groups, paths and
/// bodies, in an 80-column terminal: every line fits, no word is split across lines (each word is
/// one of the wide output's, or the start of one cut with an ellipsis), headers stay whole; and in a
/// pipe, tables are tab-separated rows without padding, rules or colour.
/// </summary>
public sealed partial class NarrowTerminalTests : IAsyncLifetime
{
    private const int Width = 80;
    private const string Long = "customer-billing-ledger-reconciliation-backfill";
    private const string Statement = "/customers/42/billing-statements/2026/reconciliation-summary";

    private RunningCutover _cutover = null!;

    public async Task InitializeAsync()
    {
        var legacy = await LoopbackBackend.StartAsync(context => Json(context, 1, "the statement was reconciled against the general ledger on the first of the month"));
        var candidate = await LoopbackBackend.StartAsync(context => Json(context, 2, "the statement was reconciled against the subledger of the billing platform instead"));
        _cutover = await RunningCutover.StartAsync($$"""
              - name: {{Long}}
                match: { pathPrefix: /customers }
                legacy: {{legacy.Urls.First()}}
                candidate: {{candidate.Urls.First()}}
                mode: shadow
                group: payments-and-invoicing-platform
                priority: critical
              - name: orders-history-archive-export-to-the-new-warehouse
                match: { pathPrefix: /orders }
                legacy: {{legacy.Urls.First()}}
                candidate: {{candidate.Urls.First()}}
                group: fulfilment
                plan:
                  steps:
                    - pause: { duration: 1h }
                    - weight: 100
            """, legacy, candidate);
        Assert.Equal(0, (await CliRun.RunAsync("promote", "orders-history-archive-export-to-the-new-warehouse", "--force", "--admin", _cutover.Admin)).ExitCode);
        using var http = new HttpClient { BaseAddress = _cutover.Host.DataPlaneAddress };
        (await http.GetAsync(new Uri(Statement, UriKind.Relative))).EnsureSuccessStatusCode();
        await ShadowedCutover.WaitUntilComparedAsync(_cutover, 1, Long);
    }

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    [Theory]
    [InlineData("status")]
    [InlineData("status", Long)]
    [InlineData("diff", Long)]
    public async Task At80Columns_EveryLineFits_NoWordIsSplit_AndHeadersAreWhole(params string[] command)
    {
        var narrow = await CliRun.RunWithWidthAsync(Width, [.. command, "--admin", _cutover.Admin]);
        var wide = await CliRun.RunWithWidthAsync(1000, [.. command, "--admin", _cutover.Admin]);

        Assert.Equal(0, narrow.ExitCode);
        var lines = narrow.Out.TrimEnd('\n').Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= Width, $"{line.Length} cells: {line}\n{narrow.Out}"));
        var words = Words(wide.Out).ToHashSet(StringComparer.Ordinal);
        Assert.All(Words(LeftOutNote().Replace(narrow.Out, string.Empty)), word => Assert.True(
            words.Contains(word) || Duration().IsMatch(word) || (word.EndsWith('…') && words.Any(w => w.StartsWith(word[..^1], StringComparison.Ordinal))),
            $"'{word}' is not a word of the wide output, nor the start of one cut with an ellipsis:\n{narrow.Out}"));
        var headerLines = lines.Where((_, i) => i + 1 < lines.Length && lines[i + 1].StartsWith('─')).ToList();
        Assert.NotEmpty(headerLines);
        Assert.All(headerLines, header => Assert.All(Regex.Split(header.Trim(), " {2,}"), column =>
            Assert.Contains(wide.Out.Split('\n'), line => Regex.Split(line.Trim(), " {2,}").Contains(column))));
    }

    [Fact]
    public async Task StatusAt80Columns_KeepsNameModeWeightAndPlan_AndNamesTheColumnsLeftOut()
    {
        var run = await CliRun.RunWithWidthAsync(Width, "status", "--admin", _cutover.Admin);

        Assert.Matches(@"^NAME +MODE +WEIGHT +PLAN", run.Out);
        Assert.Matches(@"\ncustomer-billing-ledger-reconcil\S*… +shadow +0% +—", run.Out);
        Assert.Matches(@"\(GROUP, PRIORITY,[^)]*VERSION, UPDATED\s\(UTC\)\s+left\s+out\s+to\s+fit\s+80\s+columns;", run.Out);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("diff", Long)]
    [InlineData("audit")]
    public async Task Piped_TablesAreTabSeparatedRows_WithoutPaddingBoxCharactersOrColour(params string[] command)
    {
        var run = await CliRun.RunAsync([.. command, "--admin", _cutover.Admin]);

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain('\u001B', run.Out);
        Assert.DoesNotContain(run.Out, c => c is >= '\u2500' and <= '\u257F');
        var header = run.Out.Split('\n').First(line => line.Contains('\t', StringComparison.Ordinal));
        Assert.DoesNotContain("  ", header, StringComparison.Ordinal);
        Assert.DoesNotContain(" \t", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\t ", run.Out, StringComparison.Ordinal);
    }

    private static Task Json(HttpContext context, int balance, string note)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync($$$"""{"statementSummary":{"outstandingBalance":{{{balance}}},"reconciliationNote":"{{{note}}}"}}""");
    }

    private static IEnumerable<string> Words(string text) =>
        text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Where(word => word.Trim('─').Length > 0);

    [GeneratedRegex(@"\([^()]*(\([^()]*\)[^()]*)*left\s+out\s+to\s+fit\s+\d+\s+columns;[^)]*\)")]
    private static partial Regex LeftOutNote();

    [GeneratedRegex(@"^(\d+h)?(\d+m)?\d+s,?$")]
    private static partial Regex Duration();
}
