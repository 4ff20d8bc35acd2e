using System.CommandLine;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Server.Admin;

namespace Cutover.Cli.Commands;

/// <summary>
/// The commands that steer a migration's plan: <c>promote</c>, <c>pause</c>, <c>resume</c>,
/// <c>abort</c>, <c>retry</c>. Each is audited with <c>--reason</c>; a person's command always
/// wins over the orchestrator.
/// </summary>
internal static class PlanCommands
{
    public static Command Promote(CliOptions options, CliOutput output) => Forcible(
        options, output, "promote",
        "Start a migration's plan, or move it to the next step; the gates of the current step must be met.",
        "Skip the analysis: leave the step although its gates are not met (or start although a pre-migration check fails). The audit log says so.");

    public static Command Retry(CliOptions options, CliOutput output) => Forcible(
        options, output, "retry",
        "Start a rolled-back or aborted plan again from its first step, after the pre-migration checks.",
        "Start although a pre-migration check fails. The audit log says so.");

    public static Command Pause(CliOptions options, CliOutput output) =>
        Simple(options, output, "pause", "Stop a running plan where it is; its triggers stay armed.");

    public static Command Resume(CliOptions options, CliOutput output) =>
        Simple(options, output, "resume", "Let a paused plan run again with the bake time it had left.");

    public static Command Abort(CliOptions options, CliOutput output) =>
        Simple(options, output, "abort", "End a migration's plan and leave traffic where it is, to move it by hand.");

    private static Command Simple(CliOptions options, CliOutput output, string action, string description)
    {
        var name = ChangeCommands.NameArgument();
        var command = new Command(action, description) { name, options.Reason, options.Actor, options.Json };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var result = await client.PostAsync<MigrationView>(
                ChangeCommands.Path(parse.GetValue(name)!, action), new ActionRequest(parse.GetValue(options.Reason), parse.GetValue(options.Actor)), ct);
            await ChangeCommands.Report(output, result, parse.GetValue(options.Json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Forcible(CliOptions options, CliOutput output, string action, string description, string forceDescription)
    {
        var name = ChangeCommands.NameArgument();
        var force = new Option<bool>("--force") { Description = forceDescription };
        var command = new Command(action, description) { name, force, options.Reason, options.Actor, options.Json };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var result = await client.PostAsync<MigrationView>(
                ChangeCommands.Path(parse.GetValue(name)!, action),
                new PromoteRequest(parse.GetValue(force), parse.GetValue(options.Reason), parse.GetValue(options.Actor)), ct);
            await ChangeCommands.Report(output, result, parse.GetValue(options.Json));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
