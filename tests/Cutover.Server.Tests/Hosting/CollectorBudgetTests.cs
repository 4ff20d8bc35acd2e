using Cutover.Server.Hosting;

namespace Cutover.Server.Tests.Hosting;

/// <summary>When Cutover tells an operator at start that the garbage collector's gen0 budget is small.</summary>
public sealed class CollectorBudgetTests
{
    [Fact]
    public void Gen0Max_ThisRuntimesOwnSettings_NameTheBudget()
    {
        Assert.True(CollectorBudget.Gen0Max(GC.GetConfigurationVariables()) > 0);
    }

    [Theory]
    [InlineData(6L * 1024 * 1024, true)]
    [InlineData(64L * 1024 * 1024, false)]
    [InlineData(200L * 1024 * 1024, false)]
    public void IsSmall_WorkstationCapSmallSuggestedOrServerCapNot(long budget, bool small)
    {
        var settings = new Dictionary<string, object> { ["ServerGC"] = false, ["GCGen0MaxBudget"] = budget };

        Assert.Equal(small, CollectorBudget.IsSmall(CollectorBudget.Gen0Max(settings)));
    }

    [Fact]
    public void IsSmall_RuntimeThatDoesNotSay_IsNotReported()
    {
        Assert.False(CollectorBudget.IsSmall(CollectorBudget.Gen0Max(new Dictionary<string, object> { ["ServerGC"] = true })));
    }
}
