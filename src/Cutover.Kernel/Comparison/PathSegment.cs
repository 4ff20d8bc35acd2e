namespace Cutover.Kernel.Comparison;

/// <summary>One step of a JSON path: a property or an element, or in a pattern a wildcard.</summary>
/// <param name="Kind">What the step names.</param>
/// <param name="Name">The property name, for <see cref="PathSegmentKind.Property"/>.</param>
/// <param name="Index">The element index, for <see cref="PathSegmentKind.Element"/>.</param>
public readonly record struct PathSegment(PathSegmentKind Kind, string? Name = null, int Index = 0)
{
    /// <summary>A property step.</summary>
    public static PathSegment Property(string name) => new(PathSegmentKind.Property, name);

    /// <summary>An element step.</summary>
    public static PathSegment Element(int index) => new(PathSegmentKind.Element, Index: index);

    /// <summary>Whether this (pattern) step accepts a concrete step.</summary>
    public bool Accepts(PathSegment concrete) => Kind switch
    {
        PathSegmentKind.AnyProperty => concrete.Kind == PathSegmentKind.Property,
        PathSegmentKind.AnyElement => concrete.Kind == PathSegmentKind.Element,
        PathSegmentKind.Property => concrete.Kind == PathSegmentKind.Property && string.Equals(concrete.Name, Name, StringComparison.Ordinal),
        _ => concrete.Kind == PathSegmentKind.Element && concrete.Index == Index,
    };
}
