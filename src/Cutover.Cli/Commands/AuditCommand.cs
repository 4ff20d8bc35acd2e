using System.CommandLine;
using System.Globalization;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Core.State;

namespace Cutover.Cli.Commands;

/// <summary><c>cutover audit [NAME] [--json] [--limit N]</c>: who changed what, when and why, newest first.</summary>
internal static class AuditCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var name = new Argument<string?>("name") { Description = "One migration; all when left out.", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit") { Description = "At most this many rows. The default is 50.", DefaultValueFactory = _ => 50 };
        var command = new Command("audit", "Show the audit log: every change, who made it and why.") { name, options.Json, limit };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var migration = parse.GetValue(name);
            var path = string.Create(CultureInfo.InvariantCulture, $"api/audit?limit={parse.GetValue(limit)}")
                + (migration is null ? string.Empty : "&migration=" + Uri.EscapeDataString(migration));
            var rows = await client.GetAsync<List<AuditEntry>>(path, ct);
            if (parse.GetValue(options.Json))
            {
                await output.Out.WriteLineAsync(JsonOutput.Serialize(rows));
                return ExitCodes.Ok;
            }

            var table = new CliTable(
                new CliColumn("TIME (UTC)", Keep: 1),
                new CliColumn("MIGRATION", Shrinks: true),
                new CliColumn("ACTOR", Keep: 2, Shrinks: true),
                new CliColumn("ACTION"),
                new CliColumn("CHANGE", Keep: 1, Shrinks: true),
                new CliColumn("REASON", Keep: 3, Shrinks: true));
            foreach (var row in rows)
            {
                table.Add(
                    CliFormat.Time(row.Time),
                    row.Migration,
                    row.Actor,
                    row.Action,
                    row.Before.Length == 0 ? row.After : $"{row.Before} -> {row.After}",
                    row.Reason);
            }

            table.Write(output);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
