using System.CommandLine;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Server.Settings;

namespace Cutover.Cli.Commands;

/// <summary><c>cutover serve -c cutover.yaml</c>: run the proxy and the admin API from a config file.</summary>
internal static class ServeCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var command = new Command("serve", "Run the proxy and the admin API from a config file.") { options.Config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var definition = await HostRunner.LoadAsync(parse.GetValue(options.Config)!, output);
            if (definition is null)
            {
                return ExitCodes.BadInput;
            }

            return await HostRunner.RunAsync(definition, new CutoverHostOptions(), output, host =>
                output.Out.WriteLineAsync(
                    $"Cutover is serving {definition.Migrations.Count} migration(s) from {definition.Source}: proxy {host.DataPlaneAddress}, admin API {host.AdminAddress}, store {host.Runtime.Store.Description}. Ctrl+C stops."),
                cancellationToken);
        });
        return command;
    }
}
