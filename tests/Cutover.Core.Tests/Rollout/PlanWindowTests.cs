using Cutover.Core.Rollout;

namespace Cutover.Core.Tests.Rollout;

/// <summary>When a plan's window is open and when it next opens, in a real IANA time zone, across the changes to and from summer time.</summary>
public sealed class PlanWindowTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static readonly HashSet<DayOfWeek> Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private static PlanWindow Window(string opens, string closes, IReadOnlySet<DayOfWeek>? days = null) =>
        new(days ?? Enum.GetValues<DayOfWeek>().ToHashSet(), TimeSpan.Parse(opens, System.Globalization.CultureInfo.InvariantCulture),
            opens == "00:00" && closes == "24:00" ? TimeSpan.FromDays(1) : TimeSpan.Parse(closes, System.Globalization.CultureInfo.InvariantCulture), Paris);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-12-07T07:59:59Z", false)] // Monday 08:59:59 in Paris (UTC+1)
    [InlineData("2026-12-07T08:00:00Z", true)]
    [InlineData("2026-12-07T15:59:59Z", true)]
    [InlineData("2026-12-07T16:00:00Z", false)]
    [InlineData("2026-12-05T10:00:00Z", false)] // Saturday
    public void IsOpen_WeekdayOfficeHoursInParis(string moment, bool open) =>
        Assert.Equal(open, Window("09:00", "17:00", Weekdays).IsOpen(Utc(moment)));

    [Fact]
    public void NextOpening_FridayEvening_IsMondayMorningInParisTime()
    {
        var window = Window("09:00", "17:00", Weekdays);

        var opens = window.NextOpening(Utc("2026-12-04T17:30:00Z"));

        Assert.Equal(Utc("2026-12-07T08:00:00Z"), opens);
        Assert.Equal("mon,tue,wed,thu,fri 09:00-17:00 Europe/Paris", window.Describe());
    }

    [Fact]
    public void NextOpening_WhileOpen_IsNow()
    {
        var now = Utc("2026-12-07T10:00:00Z");

        Assert.Equal(now, Window("09:00", "17:00", Weekdays).NextOpening(now));
    }

    [Fact]
    public void NextOpening_SkippedBySummerTime_OpensWhenTheClockResumes()
    {
        // On Sunday 2027-03-28 Paris clocks jump from 02:00 to 03:00 (01:00 UTC).
        var window = Window("02:30", "04:00", new HashSet<DayOfWeek> { DayOfWeek.Sunday });

        var opens = window.NextOpening(Utc("2027-03-27T12:00:00Z"));

        Assert.Equal(Utc("2027-03-28T01:00:00Z"), opens);
        Assert.True(window.IsOpen(opens));
        Assert.False(window.IsOpen(opens.AddMinutes(-1)));
    }

    [Fact]
    public void IsOpen_RepeatedHourAtWinterTime_OpenBothTimesAndOpensTheFirst()
    {
        // On Sunday 2026-10-25 Paris clocks go back from 03:00 to 02:00 (01:00 UTC): 02:00-03:00 happens twice.
        var window = Window("02:00", "03:00", new HashSet<DayOfWeek> { DayOfWeek.Sunday });

        var opens = window.NextOpening(Utc("2026-10-24T12:00:00Z"));

        Assert.Equal(Utc("2026-10-25T00:00:00Z"), opens);
        Assert.True(window.IsOpen(Utc("2026-10-25T00:30:00Z")));
        Assert.True(window.IsOpen(Utc("2026-10-25T01:30:00Z")));
        Assert.False(window.IsOpen(Utc("2026-10-25T02:00:00Z")));
    }

    [Theory]
    [InlineData("2026-12-04T21:30:00Z", true)] // Friday 22:30
    [InlineData("2026-12-05T04:59:00Z", true)] // Saturday 05:59, the night that began on Friday
    [InlineData("2026-12-05T22:00:00Z", false)] // Saturday 23:00: Saturday is not a day of the window
    [InlineData("2026-12-07T04:00:00Z", false)] // Monday 05:00: Sunday night is not either
    public void IsOpen_PastMidnight_BelongsToTheDayItBegins(string moment, bool open) =>
        Assert.Equal(open, Window("22:00", "06:00", new HashSet<DayOfWeek> { DayOfWeek.Friday }).IsOpen(Utc(moment)));
}
