using System.Diagnostics.CodeAnalysis;

namespace Cutover.Core.State;

/// <summary>The wire names of <see cref="RolloutStatus"/>, as the API, the CLI and the store write them.</summary>
public static class RolloutStatuses
{
    private static readonly (RolloutStatus Status, string Wire)[] Names =
    [
        (RolloutStatus.Ready, "ready"),
        (RolloutStatus.Running, "running"),
        (RolloutStatus.Paused, "paused"),
        (RolloutStatus.RolledBack, "rolled-back"),
        (RolloutStatus.Aborted, "aborted"),
        (RolloutStatus.Completed, "completed"),
    ];

    /// <summary>The wire name of a status.</summary>
    public static string ToWire(this RolloutStatus status) => Names.First(n => n.Status == status).Wire;

    /// <summary>Whether the plan is under way: the orchestrator (running) or a person (paused) is in charge of its next move.</summary>
    public static bool IsActive(this RolloutStatus status) => status is RolloutStatus.Running or RolloutStatus.Paused;

    /// <summary>Reads a wire name.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RolloutStatus? status)
    {
        foreach (var (s, wire) in Names)
        {
            if (string.Equals(wire, text, StringComparison.Ordinal))
            {
                status = s;
                return true;
            }
        }

        status = null;
        return false;
    }
}
