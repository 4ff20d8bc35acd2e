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
}
