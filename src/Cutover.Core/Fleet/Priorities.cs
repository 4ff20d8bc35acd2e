namespace Cutover.Core.Fleet;

/// <summary>The wire names of <see cref="Priority"/>, as config files, the admin API and the CLI write them.</summary>
public static class Priorities
{
    /// <summary>Every priority's wire name, most urgent first, for error messages.</summary>
    public const string List = "critical, high, normal or low";

    /// <summary>The lower-case wire name of a priority.</summary>
    public static string ToWire(this Priority priority) => priority switch
    {
        Priority.Critical => "critical",
        Priority.High => "high",
        Priority.Normal => "normal",
        Priority.Low => "low",
        _ => throw new ArgumentOutOfRangeException(nameof(priority), priority, null),
    };

    /// <summary>Parses a wire name, in any case like a mode, so "High" in a file still works.</summary>
    public static bool TryParse(string? text, out Priority priority)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "critical": priority = Priority.Critical; return true;
            case "high": priority = Priority.High; return true;
            case "normal": priority = Priority.Normal; return true;
            case "low": priority = Priority.Low; return true;
            default: priority = Priority.Normal; return false;
        }
    }
}
