using System.CommandLine;
using System.Text.Json;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover report NAME</c>: the failure report of a migration's latest rollback, as JSON, so a
/// script can keep it beside the incident (<c>cutover report orders &gt; orders-rollback.json</c>).
/// Always JSON: the report is a nested document of evidence that no table would show whole.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var name = new Argument<string>("name") { Description = "The migration." };
        var command = new Command("report", "Print the failure report of a migration's latest rollback as JSON: why, when, the window, both sides' numbers, recent errors.") { name };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            // As the admin API sent it, so every field is kept, including ones this CLI does not know.
            var report = await client.GetAsync<JsonElement>($"api/migrations/{Uri.EscapeDataString(parse.GetValue(name)!)}/report", ct);
            await output.Out.WriteLineAsync(JsonOutput.Serialize(report));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
