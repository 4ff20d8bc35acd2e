using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Core.Configuration;
using Cutover.Server.Control;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Cutover.Store;

namespace Cutover.Cli.Commands;

/// <summary>Starts a Cutover host, reports startup failures as one clear line, and runs until Ctrl+C.</summary>
internal static class HostRunner
{
    public static async Task<int> RunAsync(
        CutoverDefinition definition, CutoverHostOptions hostOptions, CliOutput output, Func<CutoverHost, Task> started, CancellationToken cancellationToken)
    {
        CutoverHost host;
        try
        {
            host = await CutoverHost.StartAsync(definition, hostOptions, cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            await output.Error.WriteLineAsync($"error: {TerminalText.CleanLines(e.Message)}");
            return ExitCodes.Failed;
        }
        catch (ControlException e)
        {
            await output.Error.WriteLineAsync($"error: {TerminalText.CleanLines(e.Message)}");
            return ExitCodes.Failed;
        }
        catch (ConfigException e)
        {
            await output.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (IOException e)
        {
            await output.Error.WriteLineAsync($"error: {TerminalText.Clean(e.Message)} Stop the process using that address, or change 'listen'/'admin' in {definition.Source}.");
            return ExitCodes.Failed;
        }

        await using (host)
        {
            await started(host);
            await host.WaitForShutdownAsync(cancellationToken);
            await output.Out.WriteLineAsync("Stopping: letting requests in flight finish.");
        }

        return ExitCodes.Ok;
    }

    public static async Task<CutoverDefinition?> LoadAsync(string path, CliOutput output)
    {
        try
        {
            return ConfigLoader.LoadFile(path);
        }
        catch (ConfigException e)
        {
            // The problems quote the file's values, which may come from anyone who can change the file.
            await output.Error.WriteLineAsync($"error: {TerminalText.CleanLines(e.Message)}");
            return null;
        }
    }
}
