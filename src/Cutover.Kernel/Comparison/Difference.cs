namespace Cutover.Kernel.Comparison;

/// <summary>One place where the two answers differ, with both values as JSON text (null where a side has none).</summary>
/// <param name="Path">The path, such as <c>$.items[2].price</c>; <c>[*]</c> for an element of an unordered array.</param>
/// <param name="Kind">How it differs.</param>
/// <param name="Legacy">Legacy's value, shortened to at most 200 characters.</param>
/// <param name="Candidate">The candidate's value, shortened likewise.</param>
public sealed record Difference(string Path, DifferenceKind Kind, string? Legacy, string? Candidate);
