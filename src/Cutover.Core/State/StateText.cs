using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Cutover.Kernel.Routing;

namespace Cutover.Core.State;

/// <summary>The one-line text of a state used in audit rows: "mode=canary weight=10", with "plan=running step=3" while a plan is under way.</summary>
public static class StateText
{
    /// <summary>Formats a mode and weight.</summary>
    public static string Format(MigrationMode mode, Weight weight) =>
        string.Create(CultureInfo.InvariantCulture, $"mode={mode.ToWire()} weight={weight:0.##}");

    /// <summary>Formats a mode, weight and plan progress (1-based step, as people count).</summary>
    public static string Format(MigrationMode mode, Weight weight, RolloutState? rollout) => rollout is null
        ? Format(mode, weight)
        : string.Create(CultureInfo.InvariantCulture, $"{Format(mode, weight)} plan={rollout.Status.ToWire()} step={rollout.Step + 1}");

    /// <summary>Formats a stored state.</summary>
    public static string Format(MigrationState state) => Format(state.Mode, state.Weight, state.Rollout);

    /// <summary>
    /// Reads the plan progress back from a text written by <see cref="Format(MigrationMode, Weight, RolloutState?)"/>,
    /// so when each step was entered can be told from the audit log alone; false for a text
    /// without a plan (a seed, a migration without a plan).
    /// </summary>
    /// <param name="text">An audit row's <c>before</c> or <c>after</c>.</param>
    /// <param name="status">The plan's status.</param>
    /// <param name="step">The step, 1-based as written; one past the last step once completed.</param>
    public static bool TryReadPlan(string text, [NotNullWhen(true)] out RolloutStatus? status, out int step)
    {
        ArgumentNullException.ThrowIfNull(text);
        status = null;
        step = 0;
        string? plan = null;
        string? number = null;
        foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("plan=", StringComparison.Ordinal))
            {
                plan = part["plan=".Length..];
            }
            else if (part.StartsWith("step=", StringComparison.Ordinal))
            {
                number = part["step=".Length..];
            }
        }

        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
        {
            return false;
        }

        return RolloutStatuses.TryParse(plan, out status);
    }
}
