namespace Cutover.Backfill.TestTransforms;

/// <summary>A class that is not a transform, for the loader's error.</summary>
public sealed class NotATransform;
