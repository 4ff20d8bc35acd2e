using System.CommandLine;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Core.Configuration;
using Cutover.Server.Demo;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover demo</c>: two sample backends (a legacy orders API and its rewrite), Cutover in
/// front of them on a temporary SQLite store, and the commands to try. Nothing to install.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var listen = new Option<string>("--listen")
        {
            Description = $"The proxy's address. The default is {CutoverConfig.DefaultListen}.",
            DefaultValueFactory = _ => CutoverConfig.DefaultListen,
        };
        var command = new Command("demo", "Run Cutover in front of two bundled sample backends, on a temporary store.") { listen };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryAddress(parse.GetValue(listen), out var proxy) || !TryAddress(parse.GetValue(options.Admin), out var admin))
            {
                await output.Error.WriteLineAsync("error: --listen and --admin take addresses like http://127.0.0.1:8080");
                return ExitCodes.BadInput;
            }

            await using var demo = await DemoEnvironment.StartAsync(proxy, admin, cancellationToken);
            return await HostRunner.RunAsync(demo.Definition, new CutoverHostOptions(), output, host => Banner(output, demo, host), cancellationToken);
        });
        return command;
    }

    private static bool TryAddress(string? text, out Uri address) =>
        Uri.TryCreate(text, UriKind.Absolute, out address!) && address.Scheme == Uri.UriSchemeHttp;

    private static Task Banner(CliOutput output, DemoEnvironment demo, CutoverHost host)
    {
        var proxy = host.DataPlaneAddress.ToString().TrimEnd('/');
        var admin = host.AdminAddress.ToString().TrimEnd('/');
        var adminFlag = admin == CutoverConfig.DefaultAdmin ? string.Empty : $" --admin {admin}";
        return output.Out.WriteLineAsync($$"""

            Cutover demo is running. Migration 'orders' sends 10% of users to the rewrite (canary).

              proxy       {{proxy}}
              admin API   {{admin}}
              dashboard   {{admin}}/   (open it in a browser)
              legacy      {{demo.LegacyAddress.TrimEnd('/')}}   orders v1
              candidate   {{demo.CandidateAddress.TrimEnd('/')}}   orders v2
              config      {{demo.ConfigPath}}
              store       {{host.Runtime.Store.Description}}

            Try, in another terminal:
              curl -si {{proxy}}/orders/1 -H 'X-User-Id: alice'     # X-Served-By tells which side answered
              for u in $(seq 1 20); do curl -s -o /dev/null -w '%header{x-served-by}\n' {{proxy}}/orders -H "X-User-Id: user-$u"; done | sort | uniq -c
              ./cutover status{{adminFlag}}
              ./cutover diff orders{{adminFlag}}                        # how v2's answers differ from v1's (shadow copies of legacy users)
              ./cutover weight orders 50 --reason "v2 looks healthy"{{adminFlag}}
              ./cutover rollback orders --reason "trying a rollback"{{adminFlag}}
              ./cutover audit orders{{adminFlag}}

            Ctrl+C stops the demo and deletes its temporary store.
            """);
    }
}
