using System.CommandLine;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Server.Admin;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover export [NAME | --group G] [--json]</c>: the running migrations' mode, weight and plan,
/// written into the config file Cutover runs with, so a person can keep it as a backup and put that
/// state back later with <c>cutover apply -f</c> (<see cref="ExportView"/>).
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var name = new Argument<string?>("name") { Description = "One migration; all when left out.", Arity = ArgumentArity.ZeroOrOne };
        var group = new Option<string?>("--group") { Description = "Only the migrations of this group (the config's 'group' key)." };
        var command = new Command(
            "export",
            "Print the config file Cutover runs with, each migration's mode, weight and plan as they run now: a backup that `cutover apply -f` restores.")
        {
            name, group, options.Json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(name) is { } one && result.GetValue(group) is { } g)
            {
                result.AddError($"'export {one}' exports one migration and --group {g} a group; give one of them, or neither to export every migration.");
            }
        });
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var query = (parse.GetValue(name), parse.GetValue(group)) switch
            {
                ({ } one, _) => "?migration=" + Uri.EscapeDataString(one),
                (_, { } g) => "?group=" + Uri.EscapeDataString(g),
                _ => string.Empty,
            };
            var view = await client.GetAsync<ExportView>("api/export" + query, ct);
            // The YAML emitter escapes control characters in values; cleaning only guards against a server that would not.
            await (parse.GetValue(options.Json) ? output.Out.WriteLineAsync(JsonOutput.Serialize(view)) : output.Out.WriteAsync(TerminalText.CleanLines(view.Config)));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
