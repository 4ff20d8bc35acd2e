using System.Diagnostics.CodeAnalysis;

namespace Cutover.Core.Rollout;

/// <summary>The wire names of <see cref="RolloutEventKind"/>: <c>step-advanced</c>, <c>gate-failed</c>, <c>trigger-fired</c>, <c>rolled-back</c>, <c>paused</c>, <c>completed</c>, <c>halted</c>.</summary>
public static class RolloutEventKinds
{
    private static readonly (RolloutEventKind Kind, string Wire)[] Names =
    [
        (RolloutEventKind.StepAdvanced, "step-advanced"),
        (RolloutEventKind.GateFailed, "gate-failed"),
        (RolloutEventKind.TriggerFired, "trigger-fired"),
        (RolloutEventKind.RolledBack, "rolled-back"),
        (RolloutEventKind.Paused, "paused"),
        (RolloutEventKind.Completed, "completed"),
        (RolloutEventKind.Halted, "halted"),
    ];

    /// <summary>Every wire name, comma-separated, for error messages.</summary>
    public static string List { get; } = string.Join(", ", Names.Select(n => n.Wire));

    /// <summary>The wire name of a kind.</summary>
    public static string ToWire(this RolloutEventKind kind) => Names.First(n => n.Kind == kind).Wire;

    /// <summary>Reads a wire name.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RolloutEventKind? kind)
    {
        foreach (var (k, wire) in Names)
        {
            if (string.Equals(wire, text, StringComparison.Ordinal))
            {
                kind = k;
                return true;
            }
        }

        kind = null;
        return false;
    }
}
