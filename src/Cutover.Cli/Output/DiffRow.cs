namespace Cutover.Cli.Output;

/// <summary>One row of a side-by-side diff: a line of each side, or of one side only (the other is null).</summary>
/// <param name="Legacy">Legacy's line, or null where legacy has none.</param>
/// <param name="Candidate">The candidate's line, or null where the candidate has none.</param>
/// <param name="Mark">What the row shows: context, a difference, or a value not compared.</param>
internal readonly record struct DiffRow(string? Legacy, string? Candidate, LineMark Mark);
