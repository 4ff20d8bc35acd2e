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
        var maxAdminConnections = MaxAdminConnectionsOption();
        var command = new Command("serve", "Run the proxy and the admin API from a config file.") { options.Config, maxAdminConnections };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var definition = await HostRunner.LoadAsync(parse.GetValue(options.Config)!, output);
            if (definition is null)
            {
                return ExitCodes.BadInput;
            }

            var hostOptions = new CutoverHostOptions { MaxAdminConnections = parse.GetValue(maxAdminConnections) };
            return await HostRunner.RunAsync(definition, hostOptions, output, host =>
                output.Out.WriteLineAsync(
                    $"Cutover is serving {definition.Migrations.Count} migration(s) from {definition.Source}: proxy {host.DataPlaneAddress}, admin API {host.AdminAddress}, store {host.Runtime.Store.Description}. Ctrl+C stops."),
                cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// <c>--max-admin-connections</c>: every application following this replica through
    /// Cutover.Client holds one admin connection for as long as it runs, so a fleet of them needs
    /// more than the default, which is sized for operators, the CLI and dashboards.
    /// </summary>
    private static Option<int> MaxAdminConnectionsOption()
    {
        var max = new Option<int>("--max-admin-connections")
        {
            Description = $"Connections the admin API holds at once (default {CutoverHostOptions.DefaultMaxAdminConnections}); each application following this replica with Cutover.Client holds one.",
            DefaultValueFactory = _ => CutoverHostOptions.DefaultMaxAdminConnections,
        };
        max.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"--max-admin-connections must be at least 1, not {result.GetValueOrDefault<int>()}; give the applications following this replica plus a few dozen for operators, the CLI, dashboards and other replicas.");
            }
        });
        return max;
    }
}
