namespace Cutover.Backfill.Jobs;

/// <summary>The <c>transform</c> section as written; <see cref="AssemblyStart"/> and <see cref="AssemblyEnd"/> locate the path in the text so the stored definition can name it absolutely.</summary>
internal sealed record TransformConfig(int Line)
{
    public JobField? Assembly { get; init; }

    public int AssemblyStart { get; init; }

    public int AssemblyEnd { get; init; }

    public JobField? Type { get; init; }
}
