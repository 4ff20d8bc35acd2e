using System.Text.Json;
using Cutover.Kernel.Routing;

namespace Cutover.Kernel.Tests.Routing;

/// <summary>A migration's weight: the one 0..100 rule, its sticky-bucket resolution, and the same text and JSON numbers a plain double had.</summary>
public sealed class WeightTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(0.01)]
    [InlineData(12.5)]
    [InlineData(100)]
    public void TryFromPercent_ZeroToHundred_IsAWeight(double percent)
    {
        Assert.True(Weight.TryFromPercent(percent, out var weight));
        Assert.Equal(percent, weight.Percent);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-0.001)]
    [InlineData(100.001)]
    [InlineData(150)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void TryFromPercent_OutsideZeroToHundred_IsRefused(double percent)
    {
        Assert.False(Weight.TryFromPercent(percent, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Weight.FromPercent(percent));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0.01, 1)]
    [InlineData(12.5, 1250)]
    [InlineData(100, 10_000)]
    public void CandidateBuckets_Weight_IsHundredthsOfAPercent(double weight, int buckets) =>
        Assert.Equal(buckets, Weight.FromPercent(weight).CandidateBuckets);

    [Theory]
    [InlineData(-5, 0)]
    [InlineData(42.5, 42.5)]
    [InlineData(250, 100)]
    public void Clamp_AnyFiniteNumber_IsTheNearestWeight(double percent, double expected) =>
        Assert.Equal(expected, Weight.Clamp(percent).Percent);

    [Fact]
    public void Clamp_NotANumber_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Weight.Clamp(double.NaN));

    [Theory]
    [InlineData("25", 25)]
    [InlineData("12.5", 12.5)]
    [InlineData("0", 0)]
    [InlineData("100", 100)]
    public void TryParse_InvariantNumber_IsTheWeight(string text, double expected)
    {
        Assert.True(Weight.TryParse(text, out var weight));
        Assert.Equal(expected, weight.Percent);
    }

    [Theory]
    [InlineData("150")]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("twenty")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_NotAPercentage_IsRefused(string? text) =>
        Assert.False(Weight.TryParse(text, out _));

    [Theory]
    [InlineData(25, "25", "25%")]
    [InlineData(12.5, "12.5", "12.5%")]
    [InlineData(33.333, "33.333", "33.33%")]
    public void ToString_Weight_IsTheNumberAsWritten(double percent, string text, string line) =>
        Assert.Equal((text, line), (((Weight)percent).ToString(), $"{(Weight)percent:0.##}%"));

    [Fact]
    public void Operators_Weights_OrderByTheirShareOfUsers()
    {
        Assert.True(Weight.Zero < (Weight)5);
        Assert.True((Weight)25 > (Weight)12.5);
        Assert.True((Weight)25 >= (Weight)25 && (Weight)25 <= (Weight)25);
        Assert.Equal([Weight.Zero, (Weight)5, Weight.Full], new[] { Weight.Full, Weight.Zero, (Weight)5 }.Order());
    }

    [Theory]
    [InlineData(12.5, """{"weight":12.5}""")]
    [InlineData(100, """{"weight":100}""")]
    [InlineData(0, """{"weight":0}""")]
    [InlineData(0.01, """{"weight":0.01}""")]
    public void Json_Weight_IsThePlainNumberADoubleWrites(double percent, string json)
    {
        Assert.Equal(json, JsonSerializer.Serialize(new { weight = percent }));
        Assert.Equal(json, JsonSerializer.Serialize(new Holder((Weight)percent), JsonSerializerOptions.Web));
        Assert.Equal((Weight)percent, JsonSerializer.Deserialize<Holder>(json, JsonSerializerOptions.Web)!.Weight);
    }

    [Theory]
    [InlineData("""{"weight":150}""")]
    [InlineData("""{"weight":-1}""")]
    public void Json_OutsideZeroToHundred_IsRefused(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Holder>(json, JsonSerializerOptions.Web));

    private sealed record Holder(Weight Weight);
}
