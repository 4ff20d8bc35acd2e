using System.CommandLine;
using Cutover.Cli.AdminApi;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Kernel.Security;

namespace Cutover.Cli.Commands;

/// <summary>Runs a command that talks to the admin API, turning its failures into one line and an exit code.</summary>
internal static class AdminAction
{
    /// <summary>The action; <paramref name="timeout"/> is how long the call may wait, for commands the admin API takes longer to answer.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Create(
        CliOptions options, CliOutput output, Func<ParseResult, AdminClient, CancellationToken, Task<int>> action, TimeSpan? timeout = null) =>
        async (parse, cancellationToken) =>
        {
            var address = parse.GetValue(options.Admin) ?? string.Empty;
            if (!Uri.TryCreate(address, UriKind.Absolute, out var admin) || (admin.Scheme != Uri.UriSchemeHttp && admin.Scheme != Uri.UriSchemeHttps))
            {
                await output.Error.WriteLineAsync($"error: --admin '{address}' is not an http:// or https:// address (e.g. http://127.0.0.1:8081)");
                return ExitCodes.BadInput;
            }

            var trust = AdminTrust.SystemStore();
            if (parse.GetValue(options.Ca) is { Length: > 0 } caFile && (trust = AdminTrust.FromCaFile(caFile, out var problem)) is null)
            {
                await output.Error.WriteLineAsync($"error: --ca {problem}; give the PEM file of the CA that issued the admin API's certificate");
                return ExitCodes.BadInput;
            }

            using var client = new AdminClient(admin, trust, timeout, options.TokenOf(parse));
            try
            {
                return await action(parse, client, cancellationToken);
            }
            catch (AdminUnreachableException e)
            {
                await output.Error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Unreachable;
            }
            catch (AdminProblemException e)
            {
                await output.Error.WriteLineAsync($"error: {e.Message}");
                return e.Status is 400 ? ExitCodes.BadInput : ExitCodes.Failed;
            }
        };
}
