using Cutover.Cli;
using Cutover.Cli.Output;
using Cutover.Server.Hosting;

// Before anything uses the shared buffer pool, which reads its size once.
SharedBufferPool.Enlarge();
return await CliApp.RunAsync(args, new CliOutput(Console.Out, Console.Error), CancellationToken.None);
