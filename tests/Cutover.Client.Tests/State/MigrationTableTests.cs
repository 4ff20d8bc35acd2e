using Cutover.Client.State;
using Cutover.Kernel.Routing;

namespace Cutover.Client.Tests.State;

public sealed class MigrationTableTests
{
    [Fact]
    public void Find_UnknownMigration_IsNull()
    {
        var table = new MigrationTable();

        Assert.Null(table.Find("billing-tax"));
    }

    [Fact]
    public void Set_OlderVersion_KeepsTheNewer()
    {
        var table = new MigrationTable();
        table.Replace([new MigrationSetting("billing-tax", MigrationMode.Canary, (Weight)20, 5)]);

        var changed = table.Set(new MigrationSetting("billing-tax", MigrationMode.Legacy, Weight.Zero, 4));

        Assert.False(changed);
        Assert.Equal((MigrationMode.Canary, 20.0, 2000), (table.Find("billing-tax")!.Mode, table.Find("billing-tax")!.Weight, table.Find("billing-tax")!.CandidateBuckets));
    }

    [Fact]
    public void Set_NewerVersion_ReplacesOnlyThatMigration()
    {
        var table = new MigrationTable();
        table.Replace([new MigrationSetting("billing-tax", MigrationMode.Canary, (Weight)20, 5), new MigrationSetting("pricing", MigrationMode.Shadow, Weight.Zero, 1)]);

        var changed = table.Set(new MigrationSetting("billing-tax", MigrationMode.Candidate, (Weight)100, 6));

        Assert.True(changed);
        Assert.Equal(MigrationMode.Candidate, table.Find("billing-tax")!.Mode);
        Assert.Equal(MigrationMode.Shadow, table.Find("pricing")!.Mode);
        Assert.Equal(2, table.All.Count);
    }

    [Fact]
    public void Set_UnknownMigration_AddsItBesideTheOthers()
    {
        var table = new MigrationTable();
        table.Replace([new MigrationSetting("billing-tax", MigrationMode.Canary, (Weight)20, 5)]);

        var changed = table.Set(new MigrationSetting("pricing", MigrationMode.Shadow, Weight.Zero, 1));

        Assert.True(changed);
        Assert.Equal(MigrationMode.Shadow, table.Find("pricing")!.Mode);
        Assert.Equal(20.0, table.Find("billing-tax")!.Weight);
        Assert.Equal(2, table.All.Count);
    }

    [Fact]
    public void Set_AfterReplace_IsHeldByTheNewTableOnly()
    {
        var table = new MigrationTable();
        table.Replace([new MigrationSetting("billing-tax", MigrationMode.Canary, (Weight)20, 5)]);
        var before = table.All;
        table.Replace([new MigrationSetting("billing-tax", MigrationMode.Canary, (Weight)30, 7)]);

        Assert.False(table.Set(new MigrationSetting("billing-tax", MigrationMode.Canary, (Weight)40, 6)));
        Assert.True(table.Set(new MigrationSetting("billing-tax", MigrationMode.Canary, (Weight)50, 8)));

        Assert.Equal((50.0, 8L), (table.Find("billing-tax")!.Weight, table.Find("billing-tax")!.Version));
        Assert.Equal(20.0, Assert.Single(before).Weight);
    }

    [Fact]
    public void Set_OneOfAThousandMigrations_ChangesOnlyThatOne()
    {
        var table = new MigrationTable();
        table.Replace(Enumerable.Range(1, 1000).Select(i => new MigrationSetting($"m-{i:0000}", MigrationMode.Canary, (Weight)10, 1)));
        var others = table.Find("m-0002");

        for (var v = 2; v <= 1001; v++)
        {
            Assert.True(table.Set(new MigrationSetting("m-0001", MigrationMode.Canary, (Weight)(v % 2 == 0 ? 90 : 10), v)));
        }

        Assert.Equal((10.0, 1001L), (table.Find("m-0001")!.Weight, table.Find("m-0001")!.Version));
        Assert.Same(others, table.Find("m-0002"));
        Assert.Equal(1000, table.All.Count);
    }
}
