namespace Cutover.Backfill.Jobs;

/// <summary>One value of a job file as written, with its line, so the validator can point at it.</summary>
internal sealed record JobField(string Text, int Line);
