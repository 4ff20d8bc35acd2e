namespace Cutover.Kernel.Comparison;

/// <summary>What one step of a JSON path names.</summary>
public enum PathSegmentKind
{
    /// <summary>A property by name: <c>.name</c> or <c>['name']</c>.</summary>
    Property,

    /// <summary>An array element by index: <c>[3]</c>.</summary>
    Element,

    /// <summary>Any property, in patterns only: <c>.*</c>.</summary>
    AnyProperty,

    /// <summary>Any array element, in patterns only: <c>[*]</c>.</summary>
    AnyElement,
}
