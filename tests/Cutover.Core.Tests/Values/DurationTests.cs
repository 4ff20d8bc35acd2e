using Cutover.Core.Values;

namespace Cutover.Core.Tests.Values;

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

    [Theory]
    [InlineData(250, "250ms")]
    [InlineData(0.5, "0.5ms")]
    [InlineData(5_000, "5s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(300_000, "5m")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(90_000_000, "25h")]
    public void Format_WritesWhatTryParseReads(double milliseconds, string expected)
    {
        var text = Duration.Format(TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, text);
        Assert.True(Duration.TryParse(text, out var back));
        Assert.Equal(milliseconds, back.TotalMilliseconds, 6);
    }
}
