using System.CommandLine;
using Cutover.Cli.Commands;
using Cutover.Cli.Help;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;

namespace Cutover.Cli;

/// <summary>The <c>cutover</c> command: its subcommands and how they are run.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliOutput output, CancellationToken cancellationToken)
    {
        var parse = Root(output).Parse(args);
        // `cutover weight --help` lacks weight's arguments, yet asks for help, not for an error.
        if (parse.Errors.Count > 0 && parse.Action is not ExamplesHelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await output.Error.WriteLineAsync($"error: {error.Message}");
            }

            var command = parse.CommandResult.Command;
            await output.Error.WriteLineAsync($"Run 'cutover {(command is RootCommand ? string.Empty : command.Name + " ")}--help' for usage.");
            return ExitCodes.BadInput;
        }

        var invocation = new InvocationConfiguration { Output = output.Out, Error = output.Error };
        if (BackfillCommands.StopsBetweenBatches(parse.CommandResult.Command))
        {
            // These commands stop in two steps on their own; System.CommandLine's handler would cancel
            // at once and, past its timeout, end the process without a word.
            invocation.ProcessTerminationTimeout = null;
        }

        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>The command tree, writing to <paramref name="output"/>; tests walk it to check what every command accepts.</summary>
    internal static RootCommand Root(CliOutput output)
    {
        var options = new CliOptions();
        var root = new RootCommand("Cutover: move traffic from a legacy system to its replacement with zero downtime and a rollback at every step.");
        root.Options.Add(options.Admin);
        root.Options.Add(options.Token);
        root.Options.Add(options.Ca);
        root.Subcommands.Add(ServeCommand.Create(options, output));
        root.Subcommands.Add(DemoCommand.Create(options, output));
        root.Subcommands.Add(ValidateCommand.Create(options, output));
        root.Subcommands.Add(StatusCommand.Create(options, output));
        root.Subcommands.Add(ChangeCommands.Weight(options, output));
        root.Subcommands.Add(ChangeCommands.Mode(options, output));
        root.Subcommands.Add(ChangeCommands.Rollback(options, output));
        root.Subcommands.Add(ApplyCommand.Create(options, output));
        root.Subcommands.Add(ExportCommand.Create(options, output));
        root.Subcommands.Add(PlanCommands.Promote(options, output));
        root.Subcommands.Add(PlanCommands.Pause(options, output));
        root.Subcommands.Add(PlanCommands.Resume(options, output));
        root.Subcommands.Add(PlanCommands.Abort(options, output));
        root.Subcommands.Add(PlanCommands.Retry(options, output));
        root.Subcommands.Add(AuditCommand.Create(options, output));
        root.Subcommands.Add(ReportCommand.Create(options, output));
        root.Subcommands.Add(DiffCommand.Create(options, output));
        root.Subcommands.Add(CheckCommand.Create(options, output));
        root.Subcommands.Add(JudgeCommand.Create(options, output));
        root.Subcommands.Add(BackfillCommands.Create(options, output));
        root.Subcommands.Add(TokenCommands.Create(options, output));
        ExamplesHelpAction.Install(root);
        return root;
    }
}
