namespace Cutover.Core.State;

/// <summary>A plan's window as written: <c>window: { days: [mon, tue], hours: "09:00-17:00", timeZone: Europe/Paris }</c>.</summary>
public sealed record PlanWindowConfig
{
    /// <summary>The days it opens on (<c>mon</c> … <c>sun</c>); null for every day.</summary>
    public IReadOnlyList<string>? Days { get; init; }

    /// <summary>The open hours, <c>HH:MM-HH:MM</c>; null for the whole day.</summary>
    public string? Hours { get; init; }

    /// <summary>The IANA time zone the days and hours are read in. The default value is UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The line the window starts on, for error messages.</summary>
    public int Line { get; init; }
}
