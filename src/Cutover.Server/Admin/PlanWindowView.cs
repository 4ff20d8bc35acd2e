using Cutover.Core.Rollout;

namespace Cutover.Server.Admin;

/// <summary>A plan's window as the admin API shows it: when the plan may move forward, and whether it may now.</summary>
/// <param name="Text">The window as written back: "mon,tue,wed,thu,fri 09:00-17:00 Europe/Paris".</param>
/// <param name="Open">Whether the plan may enter a next step now.</param>
/// <param name="OpensAt">When it next opens, in the window's time zone; null while open.</param>
public sealed record PlanWindowView(string Text, bool Open, DateTimeOffset? OpensAt)
{
    internal static PlanWindowView Of(PlanWindow window, DateTimeOffset now) => window.IsOpen(now)
        ? new(window.Describe(), true, null)
        : new(window.Describe(), false, TimeZoneInfo.ConvertTime(window.NextOpening(now), window.Zone));
}
