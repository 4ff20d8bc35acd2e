using System.Globalization;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;

namespace Cutover.Core.State;

/// <summary>The one-line text of a state used in audit rows: "mode=canary weight=10", with "plan=running step=3" while a plan is under way.</summary>
public static class StateText
{
    /// <summary>Formats a mode and weight.</summary>
    public static string Format(MigrationMode mode, double weight) =>
        string.Create(CultureInfo.InvariantCulture, $"mode={mode.ToWire()} weight={weight:0.##}");

    /// <summary>Formats a mode, weight and plan progress (1-based step, as people count).</summary>
    public static string Format(MigrationMode mode, double weight, RolloutState? rollout) => rollout is null
        ? Format(mode, weight)
        : string.Create(CultureInfo.InvariantCulture, $"{Format(mode, weight)} plan={rollout.Status.ToWire()} step={rollout.Step + 1}");

    /// <summary>Formats a stored state.</summary>
    public static string Format(MigrationState state) => Format(state.Mode, state.Weight, state.Rollout);
}
