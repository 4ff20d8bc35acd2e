using Cutover.Core.Shadow;
using Cutover.Kernel.Comparison;

namespace Cutover.Cli.Output;

/// <summary>
/// What the comparison of one sample said about each JSON path: reported as differing, left out by
/// <c>compare.ignore</c>, left out as learned noise, or (by elimination) compared equal under the
/// rules, as <c>2.50</c> and <c>2.5</c> are. A pattern covers its whole subtree, as the comparison
/// skips or reports it.
/// </summary>
internal sealed class ComparedPaths
{
    private readonly IReadOnlyList<JsonPathPattern> _reported;
    private readonly IReadOnlyList<JsonPathPattern> _ignored;
    private readonly IReadOnlyList<JsonPathPattern> _noise;

    private ComparedPaths(IReadOnlyList<JsonPathPattern> reported, IReadOnlyList<JsonPathPattern> ignored, IReadOnlyList<JsonPathPattern> noise, bool complete)
    {
        _reported = reported;
        _ignored = ignored;
        _noise = noise;
        Complete = complete;
    }

    /// <summary>Whether every difference of the pair is listed; when not, a line whose text differs may hold one that is not.</summary>
    public bool Complete { get; }

    /// <summary>
    /// The paths of <paramref name="sample"/>, or null when its body was compared as a whole (a
    /// text or binary body, one cut short, a result compared by <c>Equals</c>), which leaves only
    /// a text diff to show.
    /// </summary>
    /// <param name="sample">The sample, whose differences are the reported paths.</param>
    /// <param name="ignored">The migration's <c>compare.ignore</c> paths.</param>
    /// <param name="noise">The paths learned as noise on the sample's endpoint (<c>status</c>, <c>header:NAME</c> and <c>body</c> among them).</param>
    public static ComparedPaths? Of(DivergenceSample sample, IReadOnlyList<string> ignored, IReadOnlyList<string> noise)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var reported = new List<JsonPathPattern>();
        foreach (var difference in sample.Differences)
        {
            if (JsonPathPattern.TryParse(difference.Path, out var pattern, out _))
            {
                reported.Add(pattern!);
            }
            else if (!IsOutsideBody(difference.Path))
            {
                return null;
            }
        }

        // A body learned as noise is not compared at all, so all of it is noise.
        var noisy = noise.Contains("body", StringComparer.Ordinal) ? ["$"] : noise;
        return new ComparedPaths(reported, Patterns(ignored), Patterns(noisy), sample.TotalDifferences <= sample.Differences.Count);
    }

    /// <summary>What the comparison said about the value at <paramref name="path"/>.</summary>
    public LineMark Of(IReadOnlyList<PathSegment> path) =>
        Covers(_reported, path) ? LineMark.Differs
        : Covers(_ignored, path) ? LineMark.Ignored
        : Covers(_noise, path) ? LineMark.Noise
        : LineMark.Same;

    private static bool Covers(IReadOnlyList<JsonPathPattern> patterns, IReadOnlyList<PathSegment> path) =>
        patterns.Any(p => p.MatchesAncestorOf(path));

    private static bool IsOutsideBody(string path) => path == "status" || path.StartsWith("header:", StringComparison.Ordinal);

    private static List<JsonPathPattern> Patterns(IEnumerable<string> paths) =>
        paths.Select(p => JsonPathPattern.TryParse(p, out var pattern, out _) ? pattern : null).OfType<JsonPathPattern>().ToList();
}
