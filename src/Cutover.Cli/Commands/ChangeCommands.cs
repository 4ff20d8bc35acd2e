using System.CommandLine;
using System.Globalization;
using Cutover.Cli.AdminApi;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Kernel.Routing;
using Cutover.Server.Admin;

namespace Cutover.Cli.Commands;

/// <summary>The commands that change a migration's routing: <c>weight</c>, <c>mode</c>, <c>rollback</c>. Each is audited with <c>--reason</c>.</summary>
internal static class ChangeCommands
{
    public static Command Weight(CliOptions options, CliOutput output)
    {
        var name = NameArgument();
        var percent = new Argument<string>("percent") { Description = "The percentage of users to send to the candidate, 0..100." };
        var force = PastPointOfNoReturn();
        var command = new Command("weight", "Send a sticky share of users to the candidate (puts the migration in canary mode).") { name, percent, force, options.Reason, options.Actor, options.Json };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            if (!Kernel.Routing.Weight.TryParse(parse.GetValue(percent)!.TrimEnd('%'), out var weight))
            {
                await output.Error.WriteLineAsync($"error: weight '{parse.GetValue(percent)}' is not a percentage between 0 and 100 (e.g. 25)");
                return ExitCodes.BadInput;
            }

            var result = await client.PostAsync<MigrationView>(
                Path(parse.GetValue(name)!, "weight"), new WeightRequest(weight.Percent, parse.GetValue(options.Reason), parse.GetValue(options.Actor), parse.GetValue(force)), ct);
            await Report(output, result, parse.GetValue(options.Json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Mode(CliOptions options, CliOutput output)
    {
        var name = NameArgument();
        var mode = new Argument<string>("mode") { Description = $"The new mode: {MigrationModes.List}." };
        var force = PastPointOfNoReturn();
        var command = new Command("mode", "Set a migration's mode.") { name, mode, force, options.Reason, options.Actor, options.Json };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var text = parse.GetValue(mode)!;
            if (!MigrationModes.TryParse(text, out var parsed))
            {
                await output.Error.WriteLineAsync($"error: mode '{text}' is not one of {MigrationModes.List}");
                return ExitCodes.BadInput;
            }

            var result = await client.PostAsync<MigrationView>(
                Path(parse.GetValue(name)!, "mode"), new ModeRequest(parsed.ToWire(), parse.GetValue(options.Reason), parse.GetValue(options.Actor), parse.GetValue(force)), ct);
            await Report(output, result, parse.GetValue(options.Json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Rollback(CliOptions options, CliOutput output)
    {
        var name = NameArgument();
        var force = new Option<bool>("--force") { Description = "Roll back even past the plan's point of no return, where legacy no longer holds current data (audited)." };
        var command = new Command("rollback", "Send every new request of a migration to legacy, at once, and reset its weight to 0.") { name, force, options.Reason, options.Actor, options.Json };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var result = await client.PostAsync<MigrationView>(
                Path(parse.GetValue(name)!, "rollback"), new PromoteRequest(parse.GetValue(force), parse.GetValue(options.Reason), parse.GetValue(options.Actor)), ct);
            await Report(output, result, parse.GetValue(options.Json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The <c>--force</c> of <c>weight</c> and <c>mode</c>: a change that sends users back toward legacy past the plan's point of no return is refused without it.</summary>
    private static Option<bool> PastPointOfNoReturn() =>
        new("--force") { Description = "Send users back toward legacy even past the plan's point of no return, where legacy no longer holds current data (audited)." };

    /// <summary>The migration argument every change command takes.</summary>
    internal static Argument<string> NameArgument() => new("name") { Description = "The migration." };

    /// <summary>The admin API path of an action on a migration.</summary>
    internal static string Path(string name, string action) => $"api/migrations/{Uri.EscapeDataString(name)}/{action}";

    /// <summary>Prints the state after a change: the admin API's view with <c>--json</c>, else a line with the plan's status and step when it has one (its note may hold a person's reason, so it is cleaned for the terminal).</summary>
    internal static Task Report(CliOutput output, MigrationView result, bool json) =>
        output.WriteResultAsync(json, result, TerminalText.Clean(string.Create(CultureInfo.InvariantCulture,
            $"{result.Name}: mode {result.Mode}, weight {result.Weight:0.##}% (version {result.Version})") +
            (result.Plan is { } plan
                ? $"; plan {plan.Status}" + (plan.Step is { } step ? $", step {step}/{plan.StepCount}: {plan.Steps[step - 1]}" : string.Empty) + $" ({plan.Note})"
                : string.Empty)));
}
