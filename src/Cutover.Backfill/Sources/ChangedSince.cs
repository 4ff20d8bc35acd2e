namespace Cutover.Backfill.Sources;

/// <summary>A catch-up pass's filter: rows whose change column is above <paramref name="Mark"/>, or any with a value when it is null.</summary>
/// <param name="Mark">The high-water mark recorded when the previous pass started.</param>
internal sealed record ChangedSince(object? Mark);
