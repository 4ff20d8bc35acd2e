namespace Cutover.Backfill.Transforms;

/// <summary>What <see cref="IRowTransform"/> decided for a row: keep it (as changed), or reject it and say why.</summary>
public sealed record RowVerdict
{
    private RowVerdict(string? rejection) => Rejection = rejection;

    /// <summary>Write the row with its values as they are now.</summary>
    public static RowVerdict Keep { get; } = new((string?)null);

    /// <summary>Why the row was rejected, or null when it is kept.</summary>
    public string? Rejection { get; }

    /// <summary>
    /// Do not write the row; <paramref name="reason"/> is reported with its key (in the error that
    /// stops the job, or in the skipped rows <c>status</c> lists), so say what is wrong with it.
    /// </summary>
    public static RowVerdict Reject(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new RowVerdict(reason);
    }
}
