using System.Globalization;
using Cutover.Core.Routing;

namespace Cutover.Core.State;

/// <summary>The one-line text of a state used in audit rows: "mode=canary weight=10".</summary>
public static class StateText
{
    /// <summary>Formats a mode and weight.</summary>
    public static string Format(MigrationMode mode, double weight) =>
        string.Create(CultureInfo.InvariantCulture, $"mode={mode.ToWire()} weight={weight:0.##}");
}
