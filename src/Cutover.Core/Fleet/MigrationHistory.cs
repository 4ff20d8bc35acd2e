using Cutover.Core.Rollout;
using Cutover.Core.State;

namespace Cutover.Core.Fleet;

/// <summary>
/// What one migration's audit log tells the fleet view: how often it was rolled back, when each
/// step of its plan's latest run was entered and left, and how the candidate's latency compared
/// with legacy's when that run last moved on with enough data. Read from the audit rows alone,
/// because they hold every move with its time and evidence and are shared by every replica.
/// </summary>
/// <param name="Rollbacks">Rollbacks ever recorded (by a person, a trigger or a failed smoke test).</param>
/// <param name="Steps">The steps of the latest run, in the order entered; empty without a plan or before it starts.</param>
/// <param name="LatencyChange">From the latest run (or the whole log without a plan); null when no move had enough data on both sides.</param>
public sealed record MigrationHistory(int Rollbacks, IReadOnlyList<StepTime> Steps, LatencyChange? LatencyChange)
{
    /// <summary>Reads a migration's history.</summary>
    /// <param name="rows">Every audit row of the migration, in any order.</param>
    /// <param name="plan">Its plan, to describe the steps; null for a migration without one.</param>
    /// <param name="now">The time, for how long the current step has lasted so far.</param>
    public static MigrationHistory Of(IReadOnlyList<AuditEntry> rows, RolloutPlan? plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ordered = rows.OrderBy(r => r.Id).ToList();
        var runStart = ordered.FindLastIndex(IsStart);
        var run = runStart < 0 ? ordered : ordered[runStart..];
        return new MigrationHistory(
            rows.Count(r => r.Action == "rollback"),
            plan is null || runStart < 0 ? [] : Timeline(run, plan, now),
            LatencyChange.Latest(run));
    }

    /// <summary>A row that starts a run of the plan at its first step: <c>start</c> or <c>retry</c>, forced or not.</summary>
    private static bool IsStart(AuditEntry row) =>
        row.Action.Split(' ')[0] is "start" or "retry";

    private static List<StepTime> Timeline(List<AuditEntry> run, RolloutPlan plan, DateTimeOffset now)
    {
        var steps = new List<(int Index, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt)>();
        foreach (var row in run)
        {
            if (!StateText.TryReadPlan(row.After, out var status, out var step))
            {
                continue;
            }

            var index = step - 1;
            var active = status.Value.IsActive();
            var open = steps.Count > 0 && steps[^1].LeftAt is null;
            if (open && (steps[^1].Index != index || !active))
            {
                steps[^1] = steps[^1] with { LeftAt = row.Time };
                open = false;
            }

            if (active && !open)
            {
                steps.Add((index, row.Time, null));
            }
            else if (status == RolloutStatus.Completed)
            {
                // Audit rows written before the retire step waited for legacy's drain complete the plan in the move
                // that enters it: that step was entered and left at once.
                var next = steps.Count > 0 ? steps[^1].Index + 1 : 0;
                for (var skipped = next; skipped < Math.Min(index, plan.Steps.Count); skipped++)
                {
                    steps.Add((skipped, row.Time, row.Time));
                }
            }
        }

        return steps.Select(s => new StepTime(
            s.Index + 1,
            s.Index < plan.Steps.Count ? plan.Steps[s.Index].Describe() : $"step {s.Index + 1}",
            s.EnteredAt,
            s.LeftAt,
            (s.LeftAt ?? now) - s.EnteredAt)).ToList();
    }
}
