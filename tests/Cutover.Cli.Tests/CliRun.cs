using Cutover.Cli.Output;

namespace Cutover.Cli.Tests;

/// <summary>Runs the real <c>cutover</c> command in-process and captures what a user would see.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliOutput(output, error), cancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>Runs laid out for a terminal <paramref name="width"/> cells wide (without colour, as the writer is no terminal).</summary>
    public static async Task<CliRun> RunWithWidthAsync(int width, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliOutput(output, error, width), CancellationToken.None);
        return new CliRun(exit, output.ToString(), error.ToString());
    }
}
