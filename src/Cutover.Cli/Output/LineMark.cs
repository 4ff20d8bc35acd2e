namespace Cutover.Cli.Output;

/// <summary>
/// What a row of the side-by-side view says about its lines, strongest last: a row whose two
/// lines carry different marks shows the stronger one.
/// </summary>
internal enum LineMark
{
    /// <summary>Compared equal (for text, the same text): context, not marked.</summary>
    Same,

    /// <summary>Under a path the migration's <c>compare.ignore</c> leaves out, so never compared.</summary>
    Ignored,

    /// <summary>Under a path learned as noise on the endpoint, so no longer compared.</summary>
    Noise,

    /// <summary>Differs: under a path the comparison reported, or (for text) a different line.</summary>
    Differs,
}
