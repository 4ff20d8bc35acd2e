using System.Globalization;

namespace Cutover.Core.Rollout;

/// <summary>
/// When a plan may move forward: on some days of the week, between two times of day, in a time
/// zone. Outside it the plan holds where it is (triggers still roll back at any hour), so steps
/// are taken while people are at work. Hours that end before they start run past midnight and
/// belong to the day they begin on (<c>fri 22:00-06:00</c> is Friday night into Saturday).
/// </summary>
/// <param name="Days">The days the window opens on, in the window's time zone; never empty.</param>
/// <param name="Opens">When it opens, as a time of day.</param>
/// <param name="Closes">When it closes, as a time of day (up to 24:00); before <paramref name="Opens"/> for a window past midnight, never equal to it.</param>
/// <param name="Zone">The time zone the days and hours are read in.</param>
public sealed record PlanWindow(IReadOnlySet<DayOfWeek> Days, TimeSpan Opens, TimeSpan Closes, TimeZoneInfo Zone)
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>The short day names a window is written with, Monday first, for error messages.</summary>
    public static string DayList => "mon, tue, wed, thu, fri, sat, sun";

    /// <summary>Reads a short day name (<c>mon</c>, any case).</summary>
    public static bool TryParseDay(string? text, out DayOfWeek day)
    {
        var index = Array.FindIndex(DayNames, d => string.Equals(d, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        day = (DayOfWeek)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Whether the plan may move forward at <paramref name="moment"/>.</summary>
    public bool IsOpen(DateTimeOffset moment)
    {
        var local = TimeZoneInfo.ConvertTime(moment, Zone);
        var time = local.TimeOfDay;
        if (Opens < Closes)
        {
            return Days.Contains(local.DayOfWeek) && time >= Opens && time < Closes;
        }

        // Past midnight: the evening of an open day, or the morning after one.
        return (Days.Contains(local.DayOfWeek) && time >= Opens)
            || (Days.Contains(local.AddDays(-1).DayOfWeek) && time < Closes);
    }

    /// <summary>
    /// When the window next opens at or after <paramref name="moment"/>: the moment itself when it
    /// is open. An opening time that a change to summer time skips opens at the end of the skipped
    /// hour; one that the change back repeats opens the first time.
    /// </summary>
    public DateTimeOffset NextOpening(DateTimeOffset moment)
    {
        if (IsOpen(moment))
        {
            return moment;
        }

        var today = TimeZoneInfo.ConvertTime(moment, Zone).Date;
        for (var day = 0; day <= 8; day++)
        {
            var date = today.AddDays(day);
            if (!Days.Contains(date.DayOfWeek))
            {
                continue;
            }

            var opening = ToInstant(date + Opens);
            if (opening > moment)
            {
                return opening;
            }
        }

        throw new InvalidOperationException("A window with at least one day opens within a week.");
    }

    /// <summary>The window as written back for people: "mon-fri 09:00-17:00 Europe/Paris".</summary>
    public string Describe()
    {
        var days = Days.Count == 7
            ? "every day"
            : string.Join(",", Enumerable.Range(1, 7).Select(d => (DayOfWeek)(d % 7)).Where(Days.Contains).Select(d => DayNames[(int)d]));
        return string.Create(CultureInfo.InvariantCulture, $"{days} {Clock(Opens)}-{Clock(Closes)} {Zone.Id}");
    }

    private static string Clock(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}");

    private DateTimeOffset ToInstant(DateTime local)
    {
        var time = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(time))
        {
            // Skipped by the change to summer time: the window opens when the clock resumes.
            var resumed = time;
            while (Zone.IsInvalidTime(resumed))
            {
                resumed = resumed.AddMinutes(1);
            }

            return new DateTimeOffset(resumed, Zone.GetUtcOffset(resumed));
        }

        // Repeated by the change back: the larger offset is the earlier of the two moments.
        var offsets = Zone.IsAmbiguousTime(time) ? Zone.GetAmbiguousTimeOffsets(time) : [Zone.GetUtcOffset(time)];
        return new DateTimeOffset(time, offsets.Max());
    }
}
