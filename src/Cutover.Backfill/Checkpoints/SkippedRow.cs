namespace Cutover.Backfill.Checkpoints;

/// <summary>A row left out under <c>onError: skip</c>.</summary>
/// <param name="Key">The row's key as messages show it, e.g. <c>(1, 42)</c>.</param>
/// <param name="Reason">Why it was not written.</param>
public sealed record SkippedRow(string Key, string Reason);
