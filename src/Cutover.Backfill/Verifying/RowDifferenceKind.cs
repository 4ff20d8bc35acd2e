namespace Cutover.Backfill.Verifying;

/// <summary>How a row of the target differs from the source's mapped row with the same key.</summary>
public enum RowDifferenceKind
{
    /// <summary>The source has the row; the target has no row with its key.</summary>
    Missing,

    /// <summary>The target has a row whose key the source does not have (deleted at the source, or written by something else).</summary>
    Extra,

    /// <summary>Both have the key, with different values in at least one column.</summary>
    Different,
}
