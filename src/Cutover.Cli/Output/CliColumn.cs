namespace Cutover.Cli.Output;

/// <summary>A column of a <see cref="CliTable"/>, with what the table may do to it when the terminal is too narrow.</summary>
/// <param name="Header">The heading; never cut, so a column is shown whole-headed or not at all.</param>
/// <param name="Keep">
/// How much the column matters: when shortening values is not enough, the columns with the highest
/// value are left out first (the rightmost of equals first). 0 is for the columns that say what a row
/// is (a migration's name, mode and weight), kept while any other is left.
/// </param>
/// <param name="Shrinks">
/// Whether a long value may be cut short with an ellipsis: names, paths, reasons, errors. Numbers and
/// times never are, as a cut one reads as another value.
/// </param>
/// <param name="RightAligned">Whether values line up on the right, as durations do.</param>
/// <param name="Colour">The colour of a value in a terminal (a Spectre colour name), or null for none; never used in a pipe.</param>
internal sealed record CliColumn(string Header, int Keep = 0, bool Shrinks = false, bool RightAligned = false, Func<string, string?>? Colour = null);
