using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cutover.Cli.AdminApi;
using Cutover.Cli.Output;
using Cutover.Core.Fleet;
using Cutover.Server.Admin;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover status [NAME] [--group G] [--summary] [--json]</c>: where each migration's traffic
/// goes and how each side is doing, most urgent priority first, with the fleet's summary under
/// the table (migrated, in progress, rolled back, rollbacks, latency change); for one migration,
/// the time it spent in each step of its plan.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var name = new Argument<string?>("name") { Description = "One migration; all when left out.", Arity = ArgumentArity.ZeroOrOne };
        var group = new Option<string?>("--group") { Description = "Only the migrations of this group (the config's 'group' key)." };
        var summary = new Option<bool>("--summary") { Description = "Only the fleet summary (with --json: the admin API's GET /api/fleet answer) instead of the migrations." };
        var command = new Command("status", "Show each migration's group, priority, mode, weight, plan, per-side counts and divergence rate, and the fleet's summary.")
        {
            name, group, summary, options.Json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(name) is { } one && (result.GetValue(group) is not null || result.GetValue(summary)))
            {
                result.AddError($"'status {one}' shows one migration; leave out --group and --summary, or leave out the name to see the fleet.");
            }
        });
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var one = parse.GetValue(name);
            var fleetPath = "api/fleet" + GroupQuery(parse.GetValue(group));
            var json = parse.GetValue(options.Json);
            if (parse.GetValue(summary))
            {
                if (json)
                {
                    // As the admin API sent it, so scripts see every field, including ones this CLI does not know.
                    await output.Out.WriteLineAsync(JsonSerializer.Serialize(await client.GetAsync<JsonElement>(fleetPath, ct), AdminClient.Json));
                }
                else
                {
                    FleetRenderer.WriteSummary(output, await client.GetAsync<FleetView>(fleetPath, ct));
                }

                return ExitCodes.Ok;
            }

            var migrations = one is null
                ? await client.GetAsync<List<MigrationView>>("api/migrations" + GroupQuery(parse.GetValue(group)), ct)
                : [await client.GetAsync<MigrationView>($"api/migrations/{Uri.EscapeDataString(one)}", ct)];
            if (json)
            {
                await output.Out.WriteLineAsync(one is null
                    ? JsonSerializer.Serialize(migrations, AdminClient.Json)
                    : JsonSerializer.Serialize(migrations[0], AdminClient.Json));
                return ExitCodes.Ok;
            }

            var fleet = await client.GetAsync<FleetView>(one is null ? fleetPath : "api/fleet" + GroupQuery(migrations[0].Group), ct);
            output.Console.Write(Table(migrations, fleet));
            if (one is null)
            {
                FleetRenderer.WriteSummary(output, fleet);
            }
            else
            {
                FleetRenderer.WriteMigration(output, fleet.Migrations.Single(m => m.Name == migrations[0].Name));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The migrations, most urgent priority first and in config order within a priority.</summary>
    private static Table Table(IReadOnlyList<MigrationView> migrations, FleetView fleet)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "NAME", "GROUP", "PRIORITY", "MODE", "WEIGHT", "PLAN", "LEGACY req/err", "CANDIDATE req/err", "DIVERGENCE", "VERSION", "UPDATED (UTC)" })
        {
            table.AddColumn(column);
        }

        foreach (var m in migrations.OrderBy(m => Priorities.TryParse(m.Priority, out var priority) ? priority : Priority.Normal))
        {
            table.AddRow(
                Markup.Escape(m.Name),
                Markup.Escape(m.Group ?? CliFormat.None),
                m.Priority,
                m.Mode,
                string.Create(CultureInfo.InvariantCulture, $"{m.Weight:0.##}%"),
                Markup.Escape(FleetRenderer.Plan(m.Plan, fleet.Migrations.FirstOrDefault(f => f.Name == m.Name))),
                Counts(m.Stats.Legacy),
                Counts(m.Stats.Candidate),
                Divergence(m.Stats),
                m.Version.ToString(CultureInfo.InvariantCulture),
                CliFormat.Time(m.UpdatedAt));
        }

        return table;
    }

    private static string GroupQuery(string? group) => group is null ? string.Empty : "?group=" + Uri.EscapeDataString(group);

    /// <summary>The candidate's divergence rate over this process's compared shadow pairs; none until a pair was compared.</summary>
    private static string Divergence(SidesView stats) =>
        stats.Candidate.DivergenceRate is { } rate ? CliFormat.Share(rate, stats.Shadow.Compared) : CliFormat.None;

    private static string Counts(SideView side) => string.Create(CultureInfo.InvariantCulture, $"{side.Requests}/{side.Errors}");
}
