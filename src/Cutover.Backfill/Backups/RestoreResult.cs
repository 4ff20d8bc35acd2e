using Cutover.Store;

namespace Cutover.Backfill.Backups;

/// <summary>What <c>cutover backfill restore</c> did.</summary>
/// <param name="Record">The job's record, reset so that <c>resume</c> copies from the beginning.</param>
/// <param name="Rows">The rows the target table holds again, all from the snapshot.</param>
public sealed record RestoreResult(BackfillRecord Record, long Rows);
