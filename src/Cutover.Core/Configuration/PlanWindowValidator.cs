using System.Globalization;
using System.Text.RegularExpressions;
using Cutover.Core.Rollout;
using Cutover.Core.State;

namespace Cutover.Core.Configuration;

/// <summary>Checks a plan's window as written and builds the <see cref="PlanWindow"/> the orchestrator reads, reporting every problem at once.</summary>
internal static partial class PlanWindowValidator
{
    private const string HoursForm = "use HH:MM-HH:MM in 24-hour time, e.g. 09:00-17:00, or 22:00-06:00 for a window past midnight";

    /// <summary>Validates <paramref name="window"/>; <paramref name="fail"/> gets (line, key, message). Returns null when anything failed.</summary>
    public static PlanWindow? Validate(PlanWindowConfig window, Action<int, string, string> fail)
    {
        var failed = false;
        void Fail(string key, string message)
        {
            failed = true;
            fail(window.Line, $"plan.window.{key}", message);
        }

        if (window.Days is null && window.Hours is null)
        {
            failed = true;
            fail(window.Line, "plan.window", "gives neither days nor hours, so it would always be open; give days, hours or both (e.g. days: [mon, tue, wed, thu, fri], hours: \"09:00-17:00\"), or leave the window out");
        }

        var days = window.Days is null ? Enum.GetValues<DayOfWeek>().ToHashSet() : [];
        if (window.Days is { Count: 0 })
        {
            Fail("days", $"is empty, so the window would never open; list the days it opens on ({PlanWindow.DayList}), or leave it out for every day");
        }

        foreach (var text in window.Days ?? [])
        {
            if (PlanWindow.TryParseDay(text, out var day))
            {
                days.Add(day);
            }
            else
            {
                Fail("days", $"'{text}' is not a day; use {PlanWindow.DayList}");
            }
        }

        var (opens, closes) = (TimeSpan.Zero, TimeSpan.FromDays(1));
        if (window.Hours is { } hours)
        {
            var match = Hours().Match(hours);
            if (!match.Success || !TryClock(match.Groups[1].Value, out opens) || !TryClock(match.Groups[2].Value, out closes) || opens == TimeSpan.FromDays(1))
            {
                Fail("hours", $"'{hours}' is not a range of hours; {HoursForm}");
            }
            else if (opens == closes)
            {
                Fail("hours", $"'{hours}' opens and closes at the same time, so the window would never open; give a later closing time, or use 00:00-24:00 for the whole day");
            }
        }

        var zone = TimeZoneInfo.Utc;
        if (window.TimeZone is { } name)
        {
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                Fail("timeZone", $"'{name}' is not a known time zone; use an IANA name such as Europe/Paris, America/New_York or UTC");
            }
        }

        return failed ? null : new PlanWindow(days, opens, closes, zone);
    }

    private static bool TryClock(string text, out TimeSpan time)
    {
        var parts = text.Split(':');
        var hours = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var minutes = int.Parse(parts[1], CultureInfo.InvariantCulture);
        time = new TimeSpan(hours, minutes, 0);
        return minutes < 60 && (hours < 24 || (hours == 24 && minutes == 0));
    }

    [GeneratedRegex(@"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Hours();
}
