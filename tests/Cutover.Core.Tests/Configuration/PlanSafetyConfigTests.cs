using Cutover.Core.Configuration;
using Cutover.Core.Rollout;

namespace Cutover.Core.Tests.Configuration;

/// <summary>A plan's point of no return, window and progress deadline as written, read back, and refused with the key and the fix.</summary>
public sealed class PlanSafetyConfigTests
{
    [Fact]
    public void Load_PointOfNoReturnWindowAndDeadline_ReadIntoThePlan()
    {
        var yaml = OneMigrationFile.With("""
                plan:
                  steps:
                    - weight: 5
                    - pointOfNoReturn: { note: "the candidate now writes the new store" }
                    - pause: { duration: 10m }
                    - weight: 100
                  window: { days: [mon, tue, wed, thu, fri], hours: "09:00-17:00", timeZone: Europe/Paris }
                  progressDeadline: 30m
            """);

        var plan = ConfigLoader.Load(yaml, "cutover.yaml").Migrations[0].Plan!;

        Assert.Equal("point of no return: the candidate now writes the new store", plan.Steps[1].Describe());
        Assert.Equal(1, plan.PointOfNoReturnIndex());
        Assert.Equal("mon,tue,wed,thu,fri 09:00-17:00 Europe/Paris", plan.Window!.Describe());
        Assert.Equal(TimeSpan.FromMinutes(30), plan.ProgressDeadline);
    }

    [Fact]
    public void Load_StepWithItsOwnDeadline_KeepsItBesideThePlansWhichNoLongerMustOutlastThatStepsBake()
    {
        var yaml = OneMigrationFile.With("""
                plan:
                  steps:
                    - shadow: { duration: 10m }
                      progressDeadline: 1h
                    - weight: 50
                      progressDeadline: 24h
                    - pause: { duration: 2h }
                      progressDeadline: 3h
                    - weight: 100
                  progressDeadline: 30m
            """);

        var plan = ConfigLoader.Load(yaml, "cutover.yaml").Migrations[0].Plan!;

        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(24), TimeSpan.FromHours(3), null], plan.Steps.Select(s => s.ProgressDeadline));
        Assert.Equal(["shadow 10m, 0 compared", "weight 50", "pause 2h", "weight 100"], plan.Steps.Select(s => s.Describe()));
        Assert.Equal(TimeSpan.FromMinutes(30), plan.ProgressDeadline);
    }

    [Fact]
    public void Load_StepDeadlineAfterARefusedStep_IsStillChecked()
    {
        var errors = OneMigrationFile.Errors(OneMigrationFile.With("    plan: { steps: [ { backfill: {} }, { weight: 5, progressDeadline: soon } ] }"));

        Assert.Equal(2, errors.Count);
        Assert.Contains("plan.steps[1].backfill:", errors[0], StringComparison.Ordinal);
        Assert.Contains("plan.steps[2].progressDeadline: 'soon' is not a positive duration", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoWindowNorDeadline_MovesAtAnyTimeWithoutDeadline()
    {
        var plan = ConfigLoader.Load(OneMigrationFile.With("    plan: { steps: [ { weight: 5 } ] }"), "cutover.yaml").Migrations[0].Plan!;

        Assert.Null(plan.Window);
        Assert.Null(plan.ProgressDeadline);
        Assert.Null(plan.PointOfNoReturnIndex());
    }

    [Fact]
    public void Load_WindowWithHoursOnly_OpensEveryDayInUtc()
    {
        var plan = ConfigLoader.Load(OneMigrationFile.With("    plan: { steps: [ { weight: 5 } ], window: { hours: '22:00-06:00' } }"), "cutover.yaml").Migrations[0].Plan!;

        Assert.Equal("every day 22:00-06:00 UTC", plan.Window!.Describe());
    }

    [Theory]
    [InlineData("plan: { steps: [ { weight: 5 }, { pointOfNoReturn: { reason: x } } ] }", "migration 'orders': plan.steps[2].pointOfNoReturn.reason: unknown key")]
    [InlineData("plan: { steps: [ { pointOfNoReturn: {} }, { weight: 5 } ] }", "migration 'orders': plan.steps[1].pointOfNoReturn: comes before any weight step; legacy stops holding current data only once the candidate serves users, so put it after the weight step at which the candidate takes over the writes")]
    [InlineData("plan: { steps: [ { weight: 5 }, { pointOfNoReturn: {} }, { pointOfNoReturn: {} } ] }", "migration 'orders': plan.steps[3].pointOfNoReturn: is the plan's second point of no return (the first is step 2)")]
    [InlineData("plan: { steps: [ { weight: 5 } ], window: { days: [mon], hours: '9-17' } }", "migration 'orders': plan.window.hours: '9-17' is not a range of hours; use HH:MM-HH:MM in 24-hour time, e.g. 09:00-17:00, or 22:00-06:00 for a window past midnight")]
    [InlineData("plan: { steps: [ { weight: 5 } ], window: { hours: '25:00-26:00' } }", "migration 'orders': plan.window.hours: '25:00-26:00' is not a range of hours")]
    [InlineData("plan: { steps: [ { weight: 5 } ], window: { hours: '09:00-09:00' } }", "migration 'orders': plan.window.hours: '09:00-09:00' opens and closes at the same time, so the window would never open; give a later closing time, or use 00:00-24:00 for the whole day")]
    [InlineData("plan: { steps: [ { weight: 5 } ], window: { days: [] } }", "migration 'orders': plan.window.days: is empty, so the window would never open; list the days it opens on (mon, tue, wed, thu, fri, sat, sun), or leave it out for every day")]
    [InlineData("plan: { steps: [ { weight: 5 } ], window: { days: [monday] } }", "migration 'orders': plan.window.days: 'monday' is not a day; use mon, tue, wed, thu, fri, sat, sun")]
    [InlineData("plan: { steps: [ { weight: 5 } ], window: { days: [mon], timeZone: Europe/Pariss } }", "migration 'orders': plan.window.timeZone: 'Europe/Pariss' is not a known time zone; use an IANA name such as Europe/Paris, America/New_York or UTC")]
    [InlineData("plan: { steps: [ { weight: 5 } ], window: { timeZone: UTC } }", "migration 'orders': plan.window: gives neither days nor hours, so it would always be open")]
    [InlineData("plan: { steps: [ { weight: 5 } ], window: { day: [mon], hours: '09:00-17:00' } }", "migration 'orders': plan.window.day: unknown key; did you mean 'days'?")]
    [InlineData("plan: { steps: [ { weight: 5 } ], progressDeadline: soon }", "migration 'orders': plan.progressDeadline: 'soon' is not a positive duration")]
    [InlineData("plan: { steps: [ { weight: 5 }, { pause: { duration: 1h } } ], progressDeadline: 30m }", "migration 'orders': plan.progressDeadline: '30m' is not longer than step 2's bake (pause 1h), so that step would always pause for a person; make it longer than the longest bake, e.g. 2h")]
    [InlineData("plan: { steps: [ { weight: 5, progressDeadline: soon } ] }", "migration 'orders': plan.steps[1].progressDeadline: 'soon' is not a positive duration")]
    [InlineData("plan: { steps: [ { pause: { duration: 1h }, progressDeadline: 30m } ] }", "migration 'orders': plan.steps[1].progressDeadline: '30m' is not longer than the step's bake (pause 1h), so it would always pause for a person; make it longer, e.g. 2h")]
    [InlineData("plan: { steps: [ { weight: 5 }, { pause: {}, progressDeadline: 1h } ] }", "migration 'orders': plan.steps[2].progressDeadline: a 'pause: {}' step already waits for a person; remove its progressDeadline (shadow, weight and timed pause steps may have one)")]
    [InlineData("plan: { steps: [ { weight: 5 }, { smoke: {}, progressDeadline: 1h } ] }", "migration 'orders': plan.steps[2].progressDeadline: a smoke step is over in seconds")]
    [InlineData("plan: { steps: [ { weight: 5 }, { pointOfNoReturn: {}, progressDeadline: 1h } ] }", "migration 'orders': plan.steps[2].progressDeadline: a point of no return moves on at once")]
    [InlineData("plan: { steps: [ { weight: 100 }, { retire: {}, progressDeadline: 1h } ] }", "migration 'orders': plan.steps[2].progressDeadline: a retire step is bounded by the plan's drainTimeout")]
    [InlineData("plan: { steps: [ { weight: 5, pause: {}, progressDeadline: 1h } ] }", "migration 'orders': plan.steps[1]: a step has exactly one kind, found 2")]
    [InlineData("plan: { steps: [ { weight: 5, progressDeadlin: 1h } ] }", "migration 'orders': plan.steps[1].progressDeadlin: unknown key; did you mean 'progressDeadline'?")]
    public void Load_BadPlanSafetyValue_NamesTheKeyAndTheFix(string line, string expected)
    {
        var error = OneMigrationFile.SingleError(line);

        Assert.StartsWith("cutover.yaml:6: ", error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConditionOnTheBackfillJob_WithoutABackfillStep_IsRefusedNamingTheFix()
    {
        var error = OneMigrationFile.SingleError("plan: { steps: [ { weight: 5 } ], gates: ['backfill.verified >= 1'] }");

        Assert.Contains(
            "plan.gates: 'backfill.verified >= 1' reads a backfill job, but the plan has no backfill step; add one ('- backfill: { file: JOB.yaml }'), or remove the condition",
            error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConditionsOnTheBackfillJob_WithABackfillStep_AreRead()
    {
        var plan = ConfigLoader.Load(
            OneMigrationFile.With("    plan: { steps: [ { weight: 5 }, { backfill: { job: customers } } ], gates: ['backfill.verified >= 1'], triggers: ['backfill.lagSeconds > 300 for 5m'] }"),
            "cutover.yaml").Migrations[0].Plan!;

        Assert.True(plan.ReadsBackfill);
    }
}
