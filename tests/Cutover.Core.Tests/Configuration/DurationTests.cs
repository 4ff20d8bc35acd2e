using Cutover.Core.Configuration;

namespace Cutover.Core.Tests.Configuration;

public class DurationTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5s", 1_500)]
    public void TryParse_UnitsAndCombinations_GiveMilliseconds(string text, double milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("5 minutes")]
    [InlineData("3d")]
    public void TryParse_NoUnitOrUnknownUnit_Fails(string text) => Assert.False(Duration.TryParse(text, out _));
}
