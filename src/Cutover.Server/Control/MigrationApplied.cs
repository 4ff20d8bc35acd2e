using Cutover.Core.Configuration;

namespace Cutover.Server.Control;

/// <summary>One migration of an applied file.</summary>
/// <param name="Name">The migration.</param>
/// <param name="Changes">What changed (on a dry run, would change), before → after; empty when the migration already matches the file.</param>
/// <param name="Notes">What was left alone and why, and what to do next ("plan ready; `cutover promote orders` starts it").</param>
/// <param name="Version">The state's version after the change, with its <c>apply</c> audit row; null when nothing was changed.</param>
public sealed record MigrationApplied(string Name, IReadOnlyList<FieldChange> Changes, IReadOnlyList<string> Notes, long? Version);
