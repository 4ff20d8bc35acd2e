using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Server.Admin;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover diff NAME [--sample ID] [--json]</c>: where and how the candidate's answers differ
/// from legacy's under shadowing, to judge whether it is ready for real users.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var name = new Argument<string>("name") { Description = "The migration." };
        var sample = new Option<long>("--sample")
        {
            Description = "Show this stored sample in full. The default is the newest sample of the most divergent endpoint.",
            HelpName = "ID",
        };
        var command = new Command("diff", "Show where the candidate's answers differ from legacy's: counts, differing paths per endpoint, learned noise and a sample side by side.")
        {
            name, sample, options.Json,
        };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var path = $"api/migrations/{Uri.EscapeDataString(parse.GetValue(name)!)}/divergences"
                + (parse.GetResult(sample) is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"?sample={parse.GetValue(sample)}"));
            if (parse.GetValue(options.Json))
            {
                // As the admin API sent it, so scripts see every field, including ones this CLI does not know.
                var raw = await client.GetAsync<JsonElement>(path, ct);
                await output.Out.WriteLineAsync(JsonOutput.Serialize(raw));
                return ExitCodes.Ok;
            }

            DivergencesRenderer.Write(output, await client.GetAsync<DivergencesView>(path, ct));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
