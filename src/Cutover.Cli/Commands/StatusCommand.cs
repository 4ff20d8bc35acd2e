using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cutover.Cli.AdminApi;
using Cutover.Cli.Output;
using Cutover.Server.Admin;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover status [NAME] [--json]</c>: where each migration's traffic goes and how each side
/// is doing, including how often the candidate's answers differ from legacy's under shadowing.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var name = new Argument<string?>("name") { Description = "One migration; all when left out.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show each migration's mode, weight, per-side request and error counts, and the candidate's divergence rate.") { name, options.Json };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var one = parse.GetValue(name);
            var migrations = one is null
                ? await client.GetAsync<List<MigrationView>>("api/migrations", ct)
                : [await client.GetAsync<MigrationView>($"api/migrations/{Uri.EscapeDataString(one)}", ct)];
            if (parse.GetValue(options.Json))
            {
                await output.Out.WriteLineAsync(one is null
                    ? JsonSerializer.Serialize(migrations, AdminClient.Json)
                    : JsonSerializer.Serialize(migrations[0], AdminClient.Json));
                return ExitCodes.Ok;
            }

            output.Console.Write(Table(migrations));
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static Table Table(IReadOnlyList<MigrationView> migrations)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "NAME", "MODE", "WEIGHT", "LEGACY req/err", "CANDIDATE req/err", "DIVERGENCE", "VERSION", "UPDATED (UTC)" })
        {
            table.AddColumn(column);
        }

        foreach (var m in migrations)
        {
            table.AddRow(
                Markup.Escape(m.Name),
                m.Mode,
                string.Create(CultureInfo.InvariantCulture, $"{m.Weight:0.##}%"),
                Counts(m.Stats.Legacy),
                Counts(m.Stats.Candidate),
                Divergence(m.Stats),
                m.Version.ToString(CultureInfo.InvariantCulture),
                CliFormat.Time(m.UpdatedAt));
        }

        return table;
    }

    /// <summary>The candidate's divergence rate over this process's compared shadow pairs; none until a pair was compared.</summary>
    private static string Divergence(SidesView stats) =>
        stats.Candidate.DivergenceRate is { } rate ? CliFormat.Share(rate, stats.Shadow.Compared) : CliFormat.None;

    private static string Counts(SideView side) => string.Create(CultureInfo.InvariantCulture, $"{side.Requests}/{side.Errors}");
}
