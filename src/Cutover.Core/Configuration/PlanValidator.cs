using System.Globalization;
using Cutover.Core.Analysis;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Core.Values;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a plan as written and builds the <see cref="RolloutPlan"/> the orchestrator follows.
/// Every problem is reported, not only the first: a plan is usually written in one go and fixed
/// in one go.
/// </summary>
internal static class PlanValidator
{
    private const int MaxSmokeRequests = 10_000;

    /// <summary>
    /// Validates <paramref name="plan"/>; <paramref name="fail"/> gets (line, key, message). Returns
    /// null when anything failed. A backfill step's job file is found relative to <paramref name="folder"/>
    /// (the config file's; the current folder when null).
    /// </summary>
    public static RolloutPlan? Validate(PlanConfig plan, string defaultSmokePath, string? folder, Action<int, string, string> fail)
    {
        var failures = 0;
        void Fail(int line, string key, string message)
        {
            failures++;
            fail(line, key, message);
        }

        var steps = Steps(plan, defaultSmokePath, folder, Fail);
        var gates = Conditions(plan.Gates, "plan.gates", plan.Line, isTrigger: false, Fail);
        var triggers = Conditions(plan.Triggers ?? RolloutPlan.DefaultTriggers, "plan.triggers", plan.Line, isTrigger: true, Fail);

        if (!steps.OfType<BackfillStep>().Any())
        {
            foreach (var (condition, key) in gates.Select(g => (g, "plan.gates")).Concat(triggers.Select(t => (t, "plan.triggers")))
                .Where(c => c.Item1.Metrics.Any(m => m.StartsWith(BackfillFacts.MetricPrefix, StringComparison.Ordinal))))
            {
                Fail(plan.Line, key, $"'{condition.Text}' reads a backfill job, but the plan has no backfill step; add one ('- backfill: {{ file: JOB.yaml }}'), or remove the condition");
            }
        }

        var minSamples = RolloutPlan.DefaultMinSamples;
        if (plan.MinSamples is { } samples)
        {
            if (samples != Math.Floor(samples) || samples is < 1 or > 1_000_000_000)
            {
                Fail(plan.Line, "plan.minSamples", string.Create(CultureInfo.InvariantCulture, $"{samples} is not a whole number in 1..1000000000; give the fewest requests per side a condition needs, e.g. 200"));
            }
            else
            {
                minSamples = (int)samples;
            }
        }

        var inconclusiveAfter = PositiveDuration(plan.InconclusiveAfter, RolloutPlan.DefaultInconclusiveAfter, "plan.inconclusiveAfter", plan.Line, Fail);
        var drainTimeout = PositiveDuration(plan.DrainTimeout, RolloutPlan.DefaultDrainTimeout, "plan.drainTimeout", plan.Line, Fail);
        var window = plan.Window is { } written ? PlanWindowValidator.Validate(written, Fail) : null;
        var deadline = plan.ProgressDeadline is null ? (TimeSpan?)null : PositiveDuration(plan.ProgressDeadline, TimeSpan.Zero, "plan.progressDeadline", plan.Line, Fail);
        if (deadline is { } limit && limit > TimeSpan.Zero && LongestBake(steps) is { } longest && longest.Bake >= limit)
        {
            Fail(plan.Line, "plan.progressDeadline",
                $"'{plan.ProgressDeadline}' is not longer than step {longest.Index + 1}'s bake ({steps[longest.Index].Describe()}), so that step would always pause for a person; make it longer than the longest bake, e.g. {Duration.Format(longest.Bake * 2)}");
        }

        return failures > 0 ? null : new RolloutPlan(steps, gates, triggers, minSamples, inconclusiveAfter, drainTimeout) { Window = window, ProgressDeadline = deadline };
    }

    private static List<PlanStep> Steps(PlanConfig plan, string defaultSmokePath, string? folder, Action<int, string, string> fail)
    {
        if (plan.Steps.Count == 0)
        {
            fail(plan.Line, "plan.steps", "the plan has no steps; list them in order, e.g. '- weight: 5', '- pause: {duration: 10m}', '- weight: 100', '- retire: {}'");
            return [];
        }

        var steps = new List<PlanStep>();
        double? lastWeight = null;
        foreach (var (config, index) in plan.Steps.Select((s, i) => (s, i)))
        {
            var key = $"plan.steps[{index + 1}].{config.Kind}";
            void Fail(string message) => fail(config.Line, key, message);
            var added = steps.Count;
            switch (config.Kind)
            {
                case "":
                    // Already reported by the reader.
                    break;
                case "shadow":
                    if (lastWeight is not null)
                    {
                        Fail("comes after a weight step; shadow steps come first, while no user is served by the candidate");
                    }

                    var duration = RequiredDuration(config.Duration, "shadow for", Fail);
                    var minRequests = WholeNumber(config.MinRequests, 0, 0, long.MaxValue, "compared requests", Fail);
                    steps.Add(new ShadowStep(duration, minRequests));
                    break;
                case "weight":
                    var percent = config.Weight ?? double.NaN;
                    if (!(Weight.TryFromPercent(percent, out var weight) && weight > Weight.Zero))
                    {
                        Fail(string.Create(CultureInfo.InvariantCulture, $"{percent} is outside 0..100 (0 excluded); give the percentage of users to send to the candidate"));
                    }
                    else if (lastWeight is { } previous && percent <= previous)
                    {
                        Fail(string.Create(CultureInfo.InvariantCulture, $"weights must increase, but {percent:0.##} follows {previous:0.##}; a plan only moves traffic forward (a rollback moves it back)"));
                    }

                    // The number as written, even out of range, so the next step's order is still checked against it.
                    lastWeight = percent;
                    steps.Add(new WeightStep(weight));
                    break;
                case "pause":
                    steps.Add(new PauseStep(config.Duration is null ? null : RequiredDuration(config.Duration, "pause for", Fail)));
                    break;
                case "smoke":
                    var requests = WholeNumber(config.Requests, 10, 1, MaxSmokeRequests, "requests to send", Fail);
                    steps.Add(SmokeStepOf(config, (int)requests, defaultSmokePath, Fail));
                    break;
                case "backfill":
                    if (BackfillStepOf(config, folder, Fail) is { } backfill)
                    {
                        steps.Add(backfill);
                    }

                    break;
                case "pointOfNoReturn":
                    if (steps.FindIndex(s => s is PointOfNoReturnStep) is var first and >= 0)
                    {
                        Fail($"is the plan's second point of no return (the first is step {first + 1}); a plan has one, where legacy stops holding current data");
                    }
                    else if (lastWeight is null)
                    {
                        Fail("comes before any weight step; legacy stops holding current data only once the candidate serves users, so put it after the weight step at which the candidate takes over the writes");
                    }

                    steps.Add(new PointOfNoReturnStep(config.Note?.Trim() ?? string.Empty));
                    break;
                default:
                    if (index != plan.Steps.Count - 1)
                    {
                        Fail("is not the last step; nothing can follow retiring the legacy side");
                    }
                    else if (lastWeight is not 100)
                    {
                        Fail("comes before all traffic is on the candidate; add '- weight: 100' (and a bake) before it");
                    }

                    steps.Add(new RetireStep());
                    break;
            }

            // On the step just added; a step refused above is not added, and its deadline waits for the step's fix.
            if (config.ProgressDeadline is { } written && steps.Count == added + 1)
            {
                steps[^1] = steps[^1] with
                {
                    ProgressDeadline = StepDeadline(written, steps[^1], message => fail(config.Line, $"plan.steps[{index + 1}].progressDeadline", message)),
                };
            }
        }

        return steps;
    }

    /// <summary>
    /// A step's own progress deadline: a positive duration, longer than the step's bake, on a step
    /// that can be held by its gates (shadow, weight, timed pause); null when it is not one.
    /// </summary>
    private static TimeSpan? StepDeadline(string written, PlanStep step, Action<string> fail)
    {
        var why = step switch
        {
            PauseStep { Duration: null } => "a 'pause: {}' step already waits for a person",
            SmokeStep => "a smoke step is over in seconds, and a failure rolls back",
            BackfillStep => "a backfill step is bounded by its own stallAfter; set that instead",
            PointOfNoReturnStep => "a point of no return moves on at once",
            RetireStep => "a retire step is bounded by the plan's drainTimeout",
            _ => null,
        };
        if (why is not null)
        {
            fail($"{why}; remove its progressDeadline (shadow, weight and timed pause steps may have one)");
            return null;
        }

        if (!Duration.TryParse(written, out var deadline) || deadline <= TimeSpan.Zero)
        {
            fail($"'{written}' is not a positive duration; use {Duration.AllowedForms}");
            return null;
        }

        if (step.Bake is { } bake && bake >= deadline)
        {
            fail($"'{written}' is not longer than the step's bake ({step.Describe()}), so it would always pause for a person; make it longer, e.g. {Duration.Format(bake * 2)}");
            return null;
        }

        return deadline;
    }

    /// <summary>A smoke step's GET of a path, or its unary gRPC call when <c>grpc</c> names a method.</summary>
    private static SmokeStep SmokeStepOf(PlanStepConfig config, int requests, string defaultSmokePath, Action<string> fail)
    {
        if (config.Grpc is { } grpc)
        {
            var method = grpc.Trim();
            if (config.Path is not null)
            {
                fail($"gives both path '{config.Path}' and grpc '{grpc}'; keep path for a GET or grpc for a gRPC call");
            }
            else if (!GrpcName.IsMethod(method))
            {
                fail($"grpc '{grpc}' is not a gRPC method; write the service's full name and a unary method taking an empty request, e.g. grpc.health.v1.Health/Check");
            }

            return new SmokeStep(requests, "/" + method) { GrpcMethod = method };
        }

        var path = config.Path ?? defaultSmokePath;
        if (!path.StartsWith('/'))
        {
            fail($"path '{path}' does not start with '/'; give the path to ask the candidate for, e.g. /orders/health");
        }

        return new SmokeStep(requests, path);
    }

    private static BackfillStep? BackfillStepOf(PlanStepConfig config, string? folder, Action<string> fail)
    {
        var stallAfter = BackfillStep.DefaultStallAfter;
        if (config.StallAfter is { } text && !(Duration.TryParse(text, out stallAfter) && stallAfter > TimeSpan.Zero))
        {
            fail($"stallAfter '{text}' is not a positive duration; use {Duration.AllowedForms}: how long the job may go without checkpointing a batch");
        }

        TimeSpan? catchUp = null;
        if (config.CatchUp is { } every)
        {
            if (Duration.TryParse(every, out var interval) && interval > TimeSpan.Zero)
            {
                catchUp = interval;
            }
            else
            {
                fail($"catchUp '{every}' is not a positive duration; use {Duration.AllowedForms}: how often catch-up passes run once the job is done (the job needs a changeColumn)");
            }
        }

        switch (config)
        {
            case { File: { } file, Job: null } when !string.IsNullOrWhiteSpace(file):
                var path = Path.GetFullPath(file.Trim(), folder ?? Directory.GetCurrentDirectory());
                if (File.Exists(path))
                {
                    return new BackfillStep(path, null, stallAfter, catchUp);
                }

                fail($"file '{file}' does not exist (looked for {path}); give the job file's path relative to the config file");
                return null;
            case { Job: { } job, File: null } when !string.IsNullOrWhiteSpace(job):
                return new BackfillStep(null, job.Trim(), stallAfter, catchUp);
            default:
                fail("give either 'file' (a job file, relative to the config file) or 'job' (a job stored by `cutover backfill run`), not both, e.g. '- backfill: { file: jobs/customers.yaml }'");
                return null;
        }
    }

    // The longest bake of a step the plan's deadline applies to: one without a deadline of its own.
    private static (int Index, TimeSpan Bake)? LongestBake(List<PlanStep> steps) => steps
        .Select((step, index) => (Index: index, Bake: step.ProgressDeadline is null ? step.Bake ?? TimeSpan.Zero : TimeSpan.Zero))
        .Where(s => s.Bake > TimeSpan.Zero)
        .OrderByDescending(s => s.Bake)
        .Select(s => ((int, TimeSpan)?)s)
        .FirstOrDefault();

    private static List<Condition> Conditions(IReadOnlyList<string> texts, string key, int line, bool isTrigger, Action<int, string, string> fail)
    {
        var conditions = new List<Condition>();
        foreach (var text in texts)
        {
            if (!Condition.TryParse(text, out var condition, out var error))
            {
                fail(line, key, $"'{text}': {error}");
            }
            else if (!isTrigger && condition.For > TimeSpan.Zero)
            {
                fail(line, key, $"'{text}': a gate is checked once, before leaving a step, so it takes no 'for'; put it under plan.triggers to watch it continuously");
            }
            else if (condition.Impossibility is { } impossible)
            {
                fail(line, key, isTrigger
                    ? $"{impossible}, so the trigger would never fire"
                    : $"{impossible}, so the plan could never leave a step");
            }
            else
            {
                conditions.Add(condition);
            }
        }

        return conditions;
    }

    private static TimeSpan RequiredDuration(string? text, string what, Action<string> fail)
    {
        if (Duration.TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        fail(text is null
            ? $"needs a duration: how long to {what}, {Duration.AllowedForms}"
            : $"duration '{text}' is not a positive duration; use {Duration.AllowedForms}");
        return TimeSpan.Zero;
    }

    private static TimeSpan PositiveDuration(string? text, TimeSpan fallback, string key, int line, Action<int, string, string> fail)
    {
        if (text is null)
        {
            return fallback;
        }

        if (Duration.TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        fail(line, key, $"'{text}' is not a positive duration; use {Duration.AllowedForms}");
        return fallback;
    }

    private static long WholeNumber(double? value, long fallback, long min, long max, string what, Action<string> fail)
    {
        if (value is not { } number)
        {
            return fallback;
        }

        if (number != Math.Floor(number) || number < min || number > max)
        {
            fail(string.Create(CultureInfo.InvariantCulture, $"{number} is not a whole number in {min}..{max}; give the number of {what}"));
            return fallback;
        }

        return (long)number;
    }
}
