using System.CommandLine;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Core.Configuration;
using Cutover.Server.Admin;
using Cutover.Server.Control;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover apply -f FILE [--dry-run]</c>: apply a config file to a running Cutover on purpose.
/// The file is read here and sent whole, so the server checks it with the same loader as
/// <c>serve</c> and compares it with what runs; the answer lists what changed, what was left alone
/// and what only a restart changes.
/// </summary>
internal static class ApplyCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var file = new Option<string>("--file", "-f") { Description = "The config file to apply.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only say what applying the file would change; change nothing." };
        var command = new Command(
            "apply",
            "Apply a config file to the running Cutover: mode, weight and plan of the migrations it lists. A change only a restart can make refuses the whole file.")
        {
            file, dryRun, options.Reason, options.Actor, options.Json,
        };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var path = parse.GetValue(file)!;
            string yaml;
            try
            {
                yaml = await File.ReadAllTextAsync(path, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await output.Error.WriteLineAsync($"error: cannot read {path}: {e.Message.TrimEnd('.')}. Give the config file to apply with -f PATH.");
                return ExitCodes.BadInput;
            }

            var result = await client.PostAsync<ApplyResult>(
                "api/apply",
                new ApplyRequest(yaml, Path.GetFileName(path), parse.GetValue(options.Reason), parse.GetValue(options.Actor), parse.GetValue(dryRun)),
                ct);
            await output.WriteResultAsync(parse.GetValue(options.Json), result, Describe(result));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The result for people: a line per change, then what was left alone and what was not applied; each line cleaned for the terminal, as the values come from the file and the server.</summary>
    internal static string Describe(ApplyResult result)
    {
        var lines = new List<string>
        {
            result.DryRun ? $"Dry run: nothing was changed. Applying {result.Source} would do this:" : $"Applied {result.Source}:",
        };
        var width = result.Migrations.Select(m => m.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var migration in result.Migrations)
        {
            var details = migration.Changes.Select(Change).Concat(migration.Notes).DefaultIfEmpty("unchanged").ToList();
            lines.Add($"  {migration.Name.PadRight(width)}  {details[0]}");
            lines.AddRange(details.Skip(1).Select(detail => $"  {new string(' ', width)}  {detail}"));
        }

        if (result.NotInFile.Count > 0)
        {
            lines.Add($"Left as they are (not in the file): {string.Join(", ", result.NotInFile)}.");
        }

        if (result.NotApplied.Count > 0)
        {
            lines.Add("Not applied; only a restart of `cutover serve` with the file changes these:");
            lines.AddRange(result.NotApplied.Select(setting => "  " + (setting.Before is null ? $"{setting.Field} differs" : Change(setting))));
        }

        return string.Join(Environment.NewLine, lines.Select(line => TerminalText.Clean(line)));
    }

    private static string Change(FieldChange change) => $"{change.Field}: {change.Before} → {change.After}";
}
