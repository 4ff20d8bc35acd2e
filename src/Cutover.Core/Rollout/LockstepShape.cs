namespace Cutover.Core.Rollout;

/// <summary>
/// What the plans of a lockstep group must share so that one step means the same move for every
/// member: as many steps, the same kind of step at each place, the same weight at each weight
/// step, the point of no return at the same place, and no job copied twice. Gates, triggers and
/// bake times may differ: each member is judged on its own traffic.
/// </summary>
public static class LockstepShape
{
    /// <summary>Every way the members' plans do not fit together, each naming the members and the fix; empty when they do.</summary>
    /// <param name="group">The group, for the messages.</param>
    /// <param name="members">Each member's name and plan (null when it has none).</param>
    public static IReadOnlyList<string> Problems(string group, IReadOnlyList<(string Name, RolloutPlan? Plan)> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var problems = members.Where(m => m.Plan is null)
            .Select(m => $"'{m.Name}' of lockstep group '{group}' has no plan; every member needs one, with the same steps as the others")
            .ToList();
        var planned = members.Where(m => m.Plan is not null).Select(m => (m.Name, Plan: m.Plan!)).ToList();
        if (planned.Count < 2)
        {
            return problems;
        }

        var (first, model) = planned[0];
        foreach (var (name, plan) in planned.Skip(1))
        {
            if (plan.Steps.Count != model.Steps.Count)
            {
                problems.Add($"'{name}' has {plan.Steps.Count} plan steps and '{first}' {model.Steps.Count}; the members of lockstep group '{group}' move together, so give them the same steps");
                continue;
            }

            var differing = Enumerable.Range(0, plan.Steps.Count).FirstOrDefault(i => !SameMove(plan.Steps[i], model.Steps[i]), -1);
            if (differing >= 0)
            {
                problems.Add($"step {differing + 1} of '{name}' is '{plan.Steps[differing].Describe()}' and of '{first}' '{model.Steps[differing].Describe()}'; " +
                    $"the members of lockstep group '{group}' take each step together, so give them the same kind of step (and the same weight) at each place");
            }
        }

        var jobs = planned.SelectMany(m => m.Plan.Steps.OfType<BackfillStep>().Select(s => (m.Name, Job: s.JobName ?? s.JobFile!)))
            .GroupBy(j => j.Job, StringComparer.Ordinal)
            .Where(g => g.Select(j => j.Name).Distinct(StringComparer.Ordinal).Count() > 1);
        problems.AddRange(jobs.Select(g =>
            $"the backfill job '{g.Key}' is in the plans of {string.Join(" and ", g.Select(j => $"'{j.Name}'").Distinct(StringComparer.Ordinal))} of lockstep group '{group}'; " +
            "a job is copied once, so give it to one member and a timed pause to the others at that place"));
        return problems;
    }

    // A backfill step and a timed pause hold traffic alike, so one member may copy data while the others wait.
    private static bool SameMove(PlanStep step, PlanStep model) => (step, model) switch
    {
        (WeightStep a, WeightStep b) => a.Weight == b.Weight,
        (PauseStep a, PauseStep b) => (a.Duration is null) == (b.Duration is null),
        (BackfillStep or PauseStep { Duration: not null }, BackfillStep or PauseStep { Duration: not null }) => true,
        _ => step.GetType() == model.GetType(),
    };
}
