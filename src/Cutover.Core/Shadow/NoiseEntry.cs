namespace Cutover.Core.Shadow;

/// <summary>A path learned as noise: it differed between two legacy answers to the same request, so it is not compared.</summary>
/// <param name="Endpoint">The endpoint it was learned on.</param>
/// <param name="Path">The generalised path, such as <c>$.requestId</c> or <c>header:ETag</c>.</param>
/// <param name="LearnedAt">When it was first seen to differ.</param>
public sealed record NoiseEntry(string Endpoint, string Path, DateTimeOffset LearnedAt);
