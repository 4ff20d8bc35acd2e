using Cutover.Client.Comparison;

namespace Cutover.Client.Setup;

/// <summary>
/// How the calls of one migration run, from configuration (<c>Cutover:Migrations:NAME</c>), so an
/// operator can tune a migration without a release; options passed to a single call override them.
/// </summary>
public sealed class MigrationOptions
{
    /// <summary>
    /// How long the candidate may take before it counts as failed (shadow: a candidate error;
    /// canary and candidate: a failure, which falls back to legacy when allowed). 10 seconds, like
    /// the proxy's <c>shadow.timeout</c>. The candidate's cancellation token is cancelled then,
    /// and the call stops waiting for it; a candidate that runs synchronously to the end cannot
    /// be interrupted, and its result is used.
    /// </summary>
    public TimeSpan CandidateTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>When a shadowed call runs the candidate; concurrently by default.</summary>
    public ShadowExecution ShadowExecution { get; set; } = ShadowExecution.Concurrent;

    /// <summary>
    /// Whether a candidate that throws or times out in <c>canary</c> or <c>candidate</c> mode is
    /// replaced by a call of legacy, so the caller still gets an answer (the failure is counted
    /// against the candidate all the same). On by default; <c>retired</c> never falls back.
    /// </summary>
    public bool FallbackToLegacy { get; set; } = true;

    /// <summary>When set, the results are compared as JSON under these rules unless a call brings its own comparison.</summary>
    public JsonComparisonOptions? Json { get; set; }
}
