using System.CommandLine.Parsing;
using Cutover.Cli.Help;
using Cutover.Cli.Output;

namespace Cutover.Cli.Tests.Help;

public sealed class HelpExamplesTests
{
    public static TheoryData<string> TopLevelCommands() =>
        [.. CliApp.Root(new CliOutput(new StringWriter(), new StringWriter())).Subcommands.Select(c => c.Name)];

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var (command, examples) in HelpExamples.ByCommand)
        {
            foreach (var example in examples)
            {
                data.Add(command, example);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TopLevelCommands))]
    public async Task Help_OfEveryTopLevelCommand_EndsWithExamplesOfThatCommand(string command)
    {
        var run = await CliRun.RunAsync(command, "--help");

        Assert.Equal(0, run.ExitCode);
        var examples = run.Out[(run.Out.IndexOf("\nExamples:\n", StringComparison.Ordinal) + 1)..];
        Assert.StartsWith("Examples:\n", examples, StringComparison.Ordinal);
        Assert.Contains($"\n  cutover {command}", examples, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_ParsesWithoutError_AsTheCommandItIsShownFor(string command, string example)
    {
        var words = CommandLineParser.SplitCommandLine(example).ToList();
        Assert.Equal("cutover", words[0]);

        var parse = CliApp.Root(new CliOutput(new StringWriter(), new StringWriter())).Parse(words.Skip(1).ToList());

        Assert.Empty(parse.Errors.Select(e => e.Message));
        Assert.StartsWith(command, HelpExamples.PathOf(parse.CommandResult.Command), StringComparison.Ordinal);
    }
}
