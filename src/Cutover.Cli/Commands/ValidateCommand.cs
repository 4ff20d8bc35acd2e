using System.CommandLine;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Core.Configuration;

namespace Cutover.Cli.Commands;

/// <summary><c>cutover validate -c FILE</c>: check a config file with the same validator <c>serve</c> uses, without starting anything.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var command = new Command("validate", "Check a config file and list every problem in it.") { options.Config };
        command.SetAction(async (parse, _) =>
        {
            var definition = await HostRunner.LoadAsync(parse.GetValue(options.Config)!, output);
            if (definition is null)
            {
                return ExitCodes.BadInput;
            }

            var webhooks = definition.Webhooks.Count > 0 ? $", {definition.Webhooks.Count} webhook(s)" : string.Empty;
            await output.Out.WriteLineAsync($"{definition.Source} is valid: {definition.Migrations.Count} migration(s){webhooks}.");
            foreach (var backend in InsecureBackends.Of(definition))
            {
                await output.Out.WriteLineAsync(TerminalText.Clean($"Warning: the TLS certificate of {backend} is not checked (tls.insecureSkipVerify: true): {InsecureBackends.Risk}."));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
