using Cutover.Cli;
using Cutover.Cli.Output;

return await CliApp.RunAsync(args, new CliOutput(Console.Out, Console.Error), CancellationToken.None);
