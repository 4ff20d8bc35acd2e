using Cutover.Kernel.Comparison;

namespace Cutover.Core.Shadow;

/// <summary>How often one path of one endpoint differed between legacy and candidate.</summary>
/// <param name="Path">The path with array positions generalised, such as <c>$.items[*].price</c>, <c>status</c> or <c>header:Content-Type</c>.</param>
/// <param name="Kind">How it differed the last time.</param>
/// <param name="Count">Divergent pairs in which the path differed.</param>
/// <param name="FirstSeen">The first time.</param>
/// <param name="LastSeen">The last time.</param>
public sealed record PathTally(string Path, DifferenceKind Kind, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
