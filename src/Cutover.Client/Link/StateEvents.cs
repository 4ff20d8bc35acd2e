using Cutover.Client.State;
using Cutover.Kernel.Link;
using Cutover.Kernel.Routing;

namespace Cutover.Client.Link;

/// <summary>Turns the control plane's state events into the table's settings and back.</summary>
internal static class StateEvents
{
    /// <summary>The setting of an event, or null for a mode this build does not know (a newer control plane): such a migration stays on legacy.</summary>
    public static MigrationSetting? Setting(MigrationStateEvent state) =>
        state.Name is { Length: > 0 } && MigrationModes.TryParse(state.Mode ?? string.Empty, out var mode) && double.IsFinite(state.Weight)
            ? new MigrationSetting(state.Name, mode, Weight.Clamp(state.Weight), state.Version)
            : null;

    /// <summary>The settings of a full state, leaving out the ones <see cref="Setting"/> refuses.</summary>
    public static IReadOnlyList<MigrationSetting> Settings(IEnumerable<MigrationStateEvent>? states) =>
        [.. (states ?? []).Select(Setting).OfType<MigrationSetting>()];

    /// <summary>The event a setting was made from.</summary>
    public static MigrationStateEvent Event(MigrationSetting setting) => new(setting.Name, setting.Mode.ToWire(), setting.Weight.Percent, setting.Version);
}
