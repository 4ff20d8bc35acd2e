namespace Cutover.Kernel.Link;

/// <summary>
/// One migration's state as the control plane streams it: just what a decision needs, so an SDK
/// never depends on the rest of the admin API's views.
/// </summary>
/// <param name="Name">The migration's name.</param>
/// <param name="Mode">Its mode, as on the wire (<c>legacy</c>, <c>shadow</c>, <c>canary</c>, <c>candidate</c>, <c>retired</c>).</param>
/// <param name="Weight">Its canary weight, a percentage in 0..100: a plain number rather than a <see cref="Routing.Weight"/>, because the SDK reads it leniently (a number out of range from a control plane of another version is clamped, not a failed stream).</param>
/// <param name="Version">The store's version of this state; a lower one never replaces a higher one.</param>
public sealed record MigrationStateEvent(string Name, string Mode, double Weight, long Version);

/// <summary>The state of every migration, sent when a client connects.</summary>
/// <param name="Migrations">Each migration's state, in config order.</param>
public sealed record StateSnapshot(IReadOnlyList<MigrationStateEvent> Migrations);
