using Cutover.Backfill.Transforms;

namespace Cutover.Backfill.TestTransforms;

/// <summary>A transform without a parameterless constructor, for the loader's error.</summary>
public sealed class TransformWithSettings(string suffix) : IRowTransform
{
    public RowVerdict Transform(MappedRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        row["full_name"] += suffix;
        return RowVerdict.Keep;
    }
}
