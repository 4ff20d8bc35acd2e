using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Cutover.Cli.Help;

/// <summary>
/// <c>--help</c> as System.CommandLine writes it, followed by an "Examples:" section (which it has no
/// place for) from <see cref="HelpExamples"/>: a command line is easier to adapt than to compose.
/// </summary>
/// <param name="help">System.CommandLine's own help action, which writes everything else.</param>
internal sealed class ExamplesHelpAction(HelpAction help) : SynchronousCommandLineAction
{
    /// <summary>Makes <paramref name="root"/>'s <c>--help</c> (which every subcommand shares) show the examples too.</summary>
    public static void Install(RootCommand root)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        option.Action = new ExamplesHelpAction((HelpAction)option.Action!);
    }

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var exit = help.Invoke(parseResult);
        if (HelpExamples.ByCommand.TryGetValue(HelpExamples.PathOf(parseResult.CommandResult.Command), out var examples))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine($"  {example}");
            }

            output.WriteLine();
        }

        return exit;
    }
}
