using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cutover.Cli.AdminApi;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Core.Fleet;
using Cutover.Server.Admin;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover status [NAME] [--group G] [--summary] [--json] [--watch]</c>: where each migration's
/// traffic goes and how each side is doing, most urgent priority first, with the fleet's summary
/// under the table (migrated, in progress, rolled back, rollbacks, latency change); for one
/// migration, the time it spent in each step of its plan. With <c>--watch</c> it keeps following
/// the changes (<see cref="StatusWatch"/>).
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var name = new Argument<string?>("name") { Description = "One migration; all when left out.", Arity = ArgumentArity.ZeroOrOne };
        var group = new Option<string?>("--group") { Description = "Only the migrations of this group (the config's 'group' key)." };
        var summary = new Option<bool>("--summary") { Description = "Only the fleet summary (with --json: the admin API's GET /api/fleet answer) instead of the migrations." };
        var watch = new Option<bool>("--watch", "-w")
        {
            Description = "Keep following the changes until Ctrl+C: the table is redrawn on each one in a terminal; otherwise (or with --json) one line per change is printed.",
        };
        var command = new Command("status", "Show each migration's group, priority, mode, weight, plan, per-side counts and divergence rate, and the fleet's summary.")
        {
            name, group, summary, options.Json, watch,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(name) is { } one && (result.GetValue(group) is not null || result.GetValue(summary)))
            {
                result.AddError($"'status {one}' shows one migration; leave out --group and --summary, or leave out the name to see the fleet.");
            }

            if (result.GetValue(watch) && result.GetValue(summary))
            {
                result.AddError("--watch follows the migrations' changes, not the fleet summary; leave out --summary (the summary is redrawn under the table in a terminal).");
            }
        });
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var one = parse.GetValue(name);
            if (parse.GetValue(watch))
            {
                return await new StatusWatch(client, output, one, parse.GetValue(group), parse.GetValue(options.Json)).RunAsync(ct);
            }

            var fleetPath = "api/fleet" + GroupQuery(parse.GetValue(group));
            var json = parse.GetValue(options.Json);
            if (parse.GetValue(summary))
            {
                if (json)
                {
                    // As the admin API sent it, so scripts see every field, including ones this CLI does not know.
                    await output.Out.WriteLineAsync(JsonOutput.Serialize(await client.GetAsync<JsonElement>(fleetPath, ct)));
                }
                else
                {
                    FleetRenderer.WriteSummary(output, await client.GetAsync<FleetView>(fleetPath, ct));
                }

                return ExitCodes.Ok;
            }

            var migrations = await MigrationsAsync(client, one, parse.GetValue(group), ct);
            if (json)
            {
                await output.Out.WriteLineAsync(one is null
                    ? JsonOutput.Serialize(migrations)
                    : JsonOutput.Serialize(migrations[0]));
                return ExitCodes.Ok;
            }

            await WriteTableAsync(client, output, migrations, one is null ? parse.GetValue(group) : migrations[0].Group, one is null, ct);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>One migration, or all of them (of <paramref name="group"/> when given).</summary>
    public static async Task<List<MigrationView>> MigrationsAsync(AdminClient client, string? one, string? group, CancellationToken ct) => one is null
        ? await client.GetAsync<List<MigrationView>>("api/migrations" + GroupQuery(group), ct)
        : [await client.GetAsync<MigrationView>($"api/migrations/{Uri.EscapeDataString(one)}", ct)];

    /// <summary>The table of <paramref name="migrations"/>, then the fleet's summary (of <paramref name="group"/>) or, for one migration, its steps.</summary>
    public static async Task WriteTableAsync(AdminClient client, CliOutput output, IReadOnlyList<MigrationView> migrations, string? group, bool fleetSummary, CancellationToken ct)
    {
        var fleet = await client.GetAsync<FleetView>("api/fleet" + GroupQuery(group), ct);
        Table(migrations, fleet).Write(output);
        if (fleetSummary)
        {
            FleetRenderer.WriteSummary(output, fleet);
        }
        else
        {
            PlanRenderer.Write(output, migrations[0].Name, migrations[0].Plan);
            WriteLockstep(output, migrations[0], fleet);
            FleetRenderer.WriteMigration(output, fleet.Migrations.Single(m => m.Name == migrations[0].Name));
            await WriteBackfillAsync(client, output, migrations[0], ct);
        }
    }

    /// <summary>For a lockstep member, the group's members and where each one's plan is, since they move together.</summary>
    private static void WriteLockstep(CliOutput output, MigrationView migration, FleetView fleet)
    {
        if (!migration.Lockstep)
        {
            return;
        }

        var members = fleet.Migrations.Where(m => m.Lockstep && m.Group == migration.Group)
            .Select(m => string.Create(CultureInfo.InvariantCulture,
                $"{m.Name} ({m.Plan ?? "not started"}{(m.Step is { } step ? $" at step {step}" : string.Empty)}, {m.Mode} {m.Weight.Percent:0.##}%)"));
        output.Out.WriteLine(TerminalText.Clean(
            $"Lockstep group {migration.Group}: {string.Join(", ", members)}. They take each step together, a trigger on one rolls them all back, and a plan command on one acts on all."));
    }

    /// <summary>For a plan on a backfill step, or past one whose catch-up passes run, its job's progress (from the judge, which reads the job as the store has it); nothing for a caller not allowed to read it.</summary>
    private static async Task WriteBackfillAsync(AdminClient client, CliOutput output, MigrationView migration, CancellationToken ct)
    {
        if (migration.Plan is not { Step: { } step } plan || !plan.Steps.Take(step).Any(s => s.StartsWith("backfill ", StringComparison.Ordinal)))
        {
            return;
        }

        var onStep = plan.Steps[step - 1].StartsWith("backfill ", StringComparison.Ordinal);
        var label = onStep ? $"Backfill step {step}" : "Backfill (catch-up)";

        JsonElement judge;
        try
        {
            judge = await client.GetAsync<JsonElement>($"api/migrations/{Uri.EscapeDataString(migration.Name)}/judge", ct);
        }
        catch (AdminProblemException)
        {
            return;
        }

        if (!judge.TryGetProperty("backfill", out var job) || job.ValueKind != JsonValueKind.Object)
        {
            if (onStep)
            {
                await output.Out.WriteLineAsync($"{label}: the job has not started yet.");
            }

            return;
        }

        var rows = job.GetProperty("rowsCopied").GetInt64();
        var line = string.Create(CultureInfo.InvariantCulture, $"{label}: job {job.GetProperty("name").GetString()} {job.GetProperty("status").GetString()}, {rows} rows copied")
            + (job.GetProperty("sourceRows") is { ValueKind: JsonValueKind.Number } source ? string.Create(CultureInfo.InvariantCulture, $" of {source.GetInt64()}") : string.Empty)
            + string.Create(CultureInfo.InvariantCulture, $", {job.GetProperty("rowsPerSecond").GetDouble():0.#} rows/s")
            + (job.GetProperty("lastError") is { ValueKind: JsonValueKind.String } error ? $"; last error: {error.GetString()}" : string.Empty)
            + $" (details: cutover backfill status {job.GetProperty("name").GetString()})";
        await output.Out.WriteLineAsync(TerminalText.Clean(line));
    }

    /// <summary>The migrations, most urgent priority first and in config order within a priority; in a narrow terminal, name, mode, weight and plan stay longest.</summary>
    private static CliTable Table(IReadOnlyList<MigrationView> migrations, FleetView fleet)
    {
        var table = new CliTable(
            new CliColumn("NAME", Shrinks: true),
            new CliColumn("GROUP", Keep: 5, Shrinks: true),
            new CliColumn("PRIORITY", Keep: 4),
            new CliColumn("MODE"),
            new CliColumn("WEIGHT"),
            new CliColumn("PLAN", Keep: 1),
            new CliColumn("LEGACY req/err", Keep: 3),
            new CliColumn("CANDIDATE req/err", Keep: 3),
            new CliColumn("DIVERGENCE", Keep: 2),
            new CliColumn("VERSION", Keep: 7),
            new CliColumn("UPDATED (UTC)", Keep: 6));
        foreach (var m in migrations.OrderBy(m => Priorities.TryParse(m.Priority, out var priority) ? priority : Priority.Normal))
        {
            table.Add(
                m.Name,
                m.Lockstep ? $"{m.Group} (lockstep)" : m.Group,
                m.Priority,
                m.Mode,
                string.Create(CultureInfo.InvariantCulture, $"{m.Weight:0.##}%"),
                FleetRenderer.Plan(m.Plan, fleet.Migrations.FirstOrDefault(f => f.Name == m.Name)),
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

    /// <summary>Requests and errors; for a candidate whose failures legacy answered (failover), how many of those errors were rescued.</summary>
    private static string Counts(SideView side) => side.Rescued is > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{side.Requests}/{side.Errors} ({side.Rescued} rescued)")
        : string.Create(CultureInfo.InvariantCulture, $"{side.Requests}/{side.Errors}");
}
