using System.Globalization;

namespace Cutover.Backfill.Throttling;

/// <summary>How throttle messages write a duration: "350ms" under a second, "2.5s" above.</summary>
internal static class Throttles
{
    public static string Text(TimeSpan span) => span < TimeSpan.FromSeconds(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0}ms")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#}s");
}
