using Cutover.Kernel.Comparison;

namespace Cutover.Cli.Output;

/// <summary>One line of an indented JSON body, with the path of the value it shows.</summary>
/// <param name="Text">The line as shown, cleaned for the terminal.</param>
/// <param name="Path">The path of the value the line opens, closes or holds, in the comparison's terms.</param>
/// <param name="Key">
/// What lines up with the other body's line: the path and whether the line opens, closes or holds
/// the value, so <c>2.50</c> sits beside <c>2.5</c> and a moved key beside nothing.
/// </param>
internal sealed record JsonLine(string Text, IReadOnlyList<PathSegment> Path, string Key);
