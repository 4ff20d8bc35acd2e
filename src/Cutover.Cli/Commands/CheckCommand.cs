using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cutover.Cli.AdminApi;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Core.Checks;
using Cutover.Server.Checks;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover check NAME [--json]</c>: the pre-migration checks of one migration (both sides'
/// health, a rollback path, traffic to judge by, custom HTTP checks), so a person or a deploy
/// script knows whether it is safe to start moving traffic. Exits <see cref="ExitCodes.ChecksFailed"/>
/// when any check fails.
/// </summary>
internal static class CheckCommand
{
    /// <summary>The checks run at once, each within at most <see cref="CheckPolicy.MaxTimeout"/>; the margin covers the call itself.</summary>
    private const string Pass = "pass";

    private static readonly TimeSpan Wait = CheckPolicy.MaxTimeout + AdminClient.DefaultTimeout;

    public static Command Create(CliOptions options, CliOutput output)
    {
        var name = new Argument<string>("name") { Description = "The migration." };
        var command = new Command("check", "Run the pre-migration checks: both sides' health, a rollback path, traffic flowing, and the config's custom HTTP checks.")
        {
            name, options.Json,
        };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var path = $"api/migrations/{Uri.EscapeDataString(parse.GetValue(name)!)}/checks";
            if (parse.GetValue(options.Json))
            {
                // As the admin API sent it, so scripts see every field, including ones this CLI does not know.
                var raw = await client.GetAsync<JsonElement>(path, ct);
                await output.Out.WriteLineAsync(JsonOutput.Serialize(raw));
                return raw.TryGetProperty("passed", out var passed) && passed.ValueKind == JsonValueKind.True ? ExitCodes.Ok : ExitCodes.ChecksFailed;
            }

            var report = await client.GetAsync<PreflightReport>(path, ct);
            Table(report).Write(output);
            output.WriteText($"{TerminalText.Clean(report.Migration)}: {TerminalText.Clean(report.Summary())} ({CliFormat.Time(report.Time)} UTC).");
            return report.Passed ? ExitCodes.Ok : ExitCodes.ChecksFailed;
        }, Wait));
        return command;
    }

    private static CliTable Table(PreflightReport report)
    {
        var table = new CliTable(
            new CliColumn("CHECK", Shrinks: true),
            new CliColumn("RESULT", Colour: result => result == Pass ? "green" : "red"),
            new CliColumn("DETAIL", Keep: 1, Shrinks: true),
            new CliColumn("TIME", Keep: 2, RightAligned: true));
        foreach (var check in report.Checks)
        {
            table.Add(check.Name, check.Passed ? Pass : "FAIL", check.Detail, string.Create(CultureInfo.InvariantCulture, $"{check.DurationMs:0.#} ms"));
        }

        return table;
    }
}
