using Cutover.Core.Configuration;

namespace Cutover.Core.Tests.Configuration;

/// <summary>The file's <c>lockstep</c> list: groups whose migrations one plan moves together.</summary>
public class LockstepConfigTests
{
    private const string Weights = "steps: [{ weight: 10 }, { pause: { duration: 5m } }, { weight: 100 }]";

    private static string File(string lockstep, params (string Name, string Group, string? Plan)[] migrations) =>
        $"{lockstep}\nmigrations:\n" + string.Join('\n', migrations.Select(m => $"""
              - name: {m.Name}
                match: {"{"} pathPrefix: /{m.Name} {"}"}
                legacy: http://127.0.0.1:9001
                candidate: http://127.0.0.1:9002
                group: {m.Group}
            """ + (m.Plan is null ? string.Empty : $"\n    plan: {{ {m.Plan} }}")));

    private static List<string> Errors(string yaml) => [.. Assert.Throws<ConfigException>(() => ConfigLoader.Load(yaml, "cutover.yaml")).Errors.Select(e => e.ToString())];

    [Fact]
    public void Load_LockstepGroup_MarksEveryMemberAndOnlyThem()
    {
        var definition = ConfigLoader.Load(File("lockstep: [checkout]", ("cart", "checkout", Weights), ("payments", "checkout", Weights), ("search", "catalog", Weights)), "c.yaml");

        Assert.Equal([true, true, false], definition.Migrations.Select(m => m.Lockstep));
        Assert.Equal(["cart", "payments"], definition.LockstepWith("payments"));
        Assert.Empty(definition.LockstepWith("search"));
    }

    [Fact]
    public void Load_MembersWithPausesOfOtherLengthsAndOtherGates_Fit()
    {
        var definition = ConfigLoader.Load(
            File("lockstep: [checkout]", ("cart", "checkout", Weights), ("payments", "checkout", "steps: [{ weight: 10 }, { pause: { duration: 1h } }, { weight: 100 }], gates: ['candidate.p99 <= 300']")),
            "c.yaml");

        Assert.All(definition.Migrations, m => Assert.True(m.Lockstep));
    }

    [Fact]
    public void Load_PlanWrittenOnceWithAnAnchor_IsEveryMembersPlan()
    {
        var yaml = File("lockstep: [checkout]", ("cart", "checkout", null), ("payments", "checkout", null))
            .Replace("group: checkout", "group: checkout\n    plan: &checkout { steps: [{ weight: 10 }, { weight: 100 }] }", StringComparison.Ordinal);
        var second = yaml.LastIndexOf("&checkout { steps: [{ weight: 10 }, { weight: 100 }] }", StringComparison.Ordinal);
        yaml = yaml[..second] + "*checkout";

        var definition = ConfigLoader.Load(yaml, "c.yaml");

        Assert.Equal(2, definition.Migrations[1].Plan!.Steps.Count);
    }

    [Theory]
    [InlineData("lockstep: [shop]", "cutover.yaml:1: lockstep: 'shop' is the group of no migration; give two or more migrations `group: shop`, or list one of the groups the file has (catalog, checkout)")]
    [InlineData("lockstep: [catalog]", "cutover.yaml:1: lockstep: 'catalog' has one migration, 'search'; lockstep moves two or more together, so give another migration `group: catalog` or take the group out of the list")]
    [InlineData("lockstep: [checkout, checkout]", "cutover.yaml:1: lockstep: 'checkout' is listed twice; list each lockstep group once")]
    public void Load_BadLockstepEntry_NamesTheGroupAndTheFix(string lockstep, string expected)
    {
        var errors = Errors(File(lockstep, ("cart", "checkout", Weights), ("payments", "checkout", Weights), ("search", "catalog", Weights)));

        Assert.StartsWith(expected, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "'payments' of lockstep group 'checkout' has no plan; every member needs one, with the same steps as the others")]
    [InlineData("steps: [{ weight: 10 }, { weight: 100 }]", "'payments' has 2 plan steps and 'cart' 3; the members of lockstep group 'checkout' move together, so give them the same steps")]
    [InlineData("steps: [{ weight: 20 }, { pause: { duration: 5m } }, { weight: 100 }]", "step 1 of 'payments' is 'weight 20' and of 'cart' 'weight 10'; the members of lockstep group 'checkout' take each step together")]
    [InlineData("steps: [{ weight: 10 }, { pause: {} }, { weight: 100 }]", "step 2 of 'payments' is 'pause until promoted' and of 'cart' 'pause 5m'")]
    public void Load_MembersPlansThatDoNotFit_AreRefusedNamingTheStep(string? plan, string expected)
    {
        var errors = Errors(File("lockstep: [checkout]", ("cart", "checkout", Weights), ("payments", "checkout", plan)));

        Assert.Contains(errors, e => e.StartsWith("cutover.yaml:1: lockstep: " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_OneJobInTwoMembersPlans_IsRefused()
    {
        const string Backfill = "steps: [{ weight: 10 }, { backfill: { job: customers } }, { weight: 100 }]";

        var errors = Errors(File("lockstep: [checkout]", ("cart", "checkout", Backfill), ("payments", "checkout", Backfill)));

        Assert.Contains(errors, e => e.Contains(
            "the backfill job 'customers' is in the plans of 'cart' and 'payments' of lockstep group 'checkout'; a job is copied once, so give it to one member and a timed pause to the others at that place",
            StringComparison.Ordinal));
    }

    [Fact]
    public void Load_OneMemberCopiesWhileTheOtherPauses_Fits()
    {
        var definition = ConfigLoader.Load(File("lockstep: [checkout]",
            ("cart", "checkout", "steps: [{ weight: 10 }, { backfill: { job: customers } }, { weight: 100 }]"),
            ("payments", "checkout", "steps: [{ weight: 10 }, { pause: { duration: 1m } }, { weight: 100 }]")), "c.yaml");

        Assert.All(definition.Migrations, m => Assert.True(m.Lockstep));
    }
}
