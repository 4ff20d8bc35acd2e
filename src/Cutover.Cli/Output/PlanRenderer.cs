using System.Globalization;
using Cutover.Cli.Text;
using Cutover.Server.Admin;

namespace Cutover.Cli.Output;

/// <summary>
/// One migration's plan in sentences for <c>cutover status NAME</c>: where it stands and why, its
/// point of no return (passed or not, which decides whether a rollback needs --force), its window
/// and its progress deadline, so a person sees what the plan waits for before acting on it.
/// </summary>
internal static class PlanRenderer
{
    /// <summary>Writes the plan's lines; nothing for a migration without a plan.</summary>
    public static void Write(CliOutput output, string name, PlanView? plan)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (plan is null)
        {
            return;
        }

        var step = plan.Step is { } number ? string.Create(CultureInfo.InvariantCulture, $", step {number}/{plan.StepCount}") : string.Empty;
        // A note that begins with the status ("completed: legacy retired") is not preceded by it again.
        var note = plan.Note == plan.Status ? string.Empty : plan.Note.StartsWith($"{plan.Status}: ", StringComparison.Ordinal) ? plan.Note[(plan.Status.Length + 2)..] : plan.Note;
        output.WriteText(TerminalText.Clean($"Plan: {plan.Status}{step}{(note.Length > 0 ? ": " + note : string.Empty)}"));
        if (plan.PointOfNoReturn is { } point)
        {
            var what = point.Note.Length > 0 ? $" ({point.Note})" : string.Empty;
            var where = string.Create(CultureInfo.InvariantCulture, $"Point of no return: step {point.Step}{what}");
            output.WriteText(TerminalText.Clean(point.Passed
                ? $"{where}, passed: legacy no longer holds current data; a trigger halts the plan, and `cutover rollback {name}` needs --force."
                : $"{where}, not passed yet."));
        }

        if (plan.Window is { } window)
        {
            output.WriteText(TerminalText.Clean(window.OpensAt is { } opens
                ? string.Create(CultureInfo.InvariantCulture, $"Window: {window.Text}; closed, opens at {opens:yyyy-MM-dd HH:mm zzz}. Triggers still roll back at any hour.")
                : $"Window: {window.Text}; open now."));
        }

        if (plan.ProgressDeadline is { } deadline)
        {
            output.WriteText($"Progress deadline: {deadline} a step; a step not done by then pauses for a person.");
        }
    }
}
