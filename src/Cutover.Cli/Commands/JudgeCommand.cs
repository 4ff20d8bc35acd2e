using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Server.Admin;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover judge NAME [--json]</c>: the canary promotion decision. The plan's gates, triggers
/// and Mann-Whitney latency test as they read now (<c>GET /api/migrations/{name}/judge</c>), and what
/// they mean: promote, wait or roll back, with the reasons (<see cref="PromotionDecision"/>), so the
/// person at a <c>pause: {}</c> step decides on the same figures the plan would.
/// </summary>
internal static class JudgeCommand
{
    public static Command Create(CliOptions options, CliOutput output)
    {
        var name = new Argument<string>("name") { Description = "The migration; it needs a plan." };
        var command = new Command("judge", "Show the plan's gates, triggers and latency test as they read now, and the decision they make: promote, wait or roll back.")
        {
            name, options.Json,
        };
        command.SetAction(AdminAction.Create(options, output, async (parse, client, ct) =>
        {
            var path = $"api/migrations/{Uri.EscapeDataString(parse.GetValue(name)!)}/judge";
            if (parse.GetValue(options.Json))
            {
                // As the admin API sent it, so scripts see every field, including ones this CLI does not know.
                await output.Out.WriteLineAsync(JsonOutput.Serialize(await client.GetAsync<JsonElement>(path, ct)));
                return ExitCodes.Ok;
            }

            var judge = await client.GetAsync<JudgeView>(path, ct);
            var decision = judge.Decision;
            output.WriteText($"{TerminalText.Clean(judge.Name)}: {Verdict(decision.Verdict)}");
            foreach (var reason in decision.Reasons)
            {
                output.WriteText($"  - {TerminalText.Clean(reason)}");
            }

            output.WriteText(Invariant($"Gates over {CliFormat.Time(judge.From)} to {CliFormat.Time(judge.To)} UTC (minSamples {judge.MinSamples}):"));
            Conditions("GATE", judge.Gates.Select(g => (g.Condition, g.Verdict, (string?)null, g.Detail))).Write(output);
            output.WriteText("Triggers:");
            Conditions("TRIGGER", judge.Triggers.Select(t => (t.Condition, t.Verdict, Held(t), t.Detail))).Write(output);
            output.WriteText(judge.LatencyTest is { } test
                ? Invariant($"Latency (Mann-Whitney U): {test.CandidateCount} candidate and {test.LegacyCount} legacy requests; candidate slower: p = {test.PValueCandidateSlower:0.####}, probability {test.ProbabilityCandidateSlower:0.##} (0.5 is no difference).")
                : "Latency (Mann-Whitney U): not compared; a side served fewer than minSamples requests in the window.");
            output.WriteText(Next(judge.Name, decision.Verdict, judge.PlanStatus));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Verdict(string verdict) => verdict switch
    {
        "promote" => "promote",
        "roll-back" => "roll back",
        _ => TerminalText.Clean(verdict)!,
    };

    // What a person can do with the reading depends on the plan: only a plan under way acts on it.
    private static string Next(string name, string verdict, string? planStatus)
    {
        var migration = TerminalText.Clean(name);
        return (planStatus, verdict) switch
        {
            ("ready", "roll-back") => $"Next: the plan has not started, and a trigger's condition is already true; fix the candidate before `cutover promote {migration}` starts it.",
            ("ready", _) => $"Next: the plan has not started; `cutover promote {migration}` starts it, after its pre-migration checks.",
            ("completed", _) => "Next: nothing; the plan has completed and acts on no reading.",
            ("rolled-back" or "aborted", _) => $"Next: the plan is {planStatus} and acts on no reading; `cutover retry {migration}` starts it again from its first step.",
            _ => Under(migration, verdict),
        };
    }

    private static string Under(string? migration, string verdict) =>
        verdict switch
        {
            "promote" => $"Next: `cutover promote {migration}` moves the plan on (at a `pause: {{}}` step it waits for you).",
            "roll-back" => $"Next: the plan rolls back by itself when the trigger has held for its time; `cutover rollback {migration}` does it now.",
            _ => $"Next: wait; the plan moves on by itself once the gates are met, except at a `pause: {{}}` step. `cutover judge {migration}` again later.",
        };

    private static CliTable Conditions(string heading, IEnumerable<(string Condition, string Verdict, string? Held, string Detail)> conditions)
    {
        var table = new CliTable(
            new CliColumn(heading, Shrinks: true),
            new CliColumn("VERDICT", Colour: v => v == "met" ? (heading == "GATE" ? "green" : "red") : v == "not-met" ? (heading == "GATE" ? "red" : "green") : "yellow"),
            new CliColumn("HELD", Keep: 2),
            new CliColumn("DETAIL", Keep: 1, Shrinks: true));
        foreach (var (condition, verdict, held, detail) in conditions)
        {
            table.Add(condition, verdict, held, detail);
        }

        return table;
    }

    private static string? Held(TriggerView trigger) =>
        trigger.HeldSeconds is { } held ? Invariant($"{held:0.#}/{trigger.ForSeconds:0.#} s") : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
