using Cutover.Core.Shadow;

namespace Cutover.Server.Admin;

/// <summary>
/// The answer of <c>GET /api/migrations/{name}/divergences</c>: this process's shadow counts, the
/// stored evidence grouped by endpoint and differing path (across every replica), and one sample
/// in full — the one asked for, or the newest of the most divergent endpoint.
/// </summary>
/// <param name="Migration">The migration.</param>
/// <param name="Mode">Its current mode.</param>
/// <param name="Shadow">This process's shadow counts.</param>
/// <param name="Endpoints">The stored groups, most divergent endpoint first.</param>
/// <param name="Sample">One sample in full, or null when none is stored.</param>
public sealed record DivergencesView(string Migration, string Mode, ShadowView Shadow, IReadOnlyList<EndpointDivergence> Endpoints, DivergenceSample? Sample)
{
    /// <summary>
    /// The JSON paths the migration's <c>compare.ignore</c> leaves out of every comparison, as
    /// written, so a reader of a sample can tell a value that was not compared from one that
    /// compared equal. Empty when nothing is ignored; an answer without it (an older Cutover) reads as empty.
    /// </summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];
}
