using Cutover.Client.Comparison;
using Cutover.Client.Setup;

namespace Cutover.Client.Running;

/// <summary>
/// Options of a call of <see cref="ICutoverClient.RunAsync{T}"/>: how its results are compared,
/// when the candidate is skipped or a mismatch accepted (Scientist's <c>run_if</c> and
/// <c>ignore</c>), and overrides of the migration's <see cref="MigrationOptions"/>. Immutable, so
/// one instance can be kept in a static field and shared by every call.
/// </summary>
/// <typeparam name="T">The result type of both sides.</typeparam>
public sealed class RunOptions<T>
{
    /// <summary>How legacy's and the candidate's results are compared; by default <see cref="EqualityComparer{T}.Default"/>, or JSON when the migration's options say so.</summary>
    public ResultComparison<T>? Comparison { get; init; }

    /// <summary>Asked before a shadowed call: false runs legacy alone (counted as skipped), for calls the candidate cannot serve yet or that are too costly to run twice.</summary>
    public Func<bool>? RunIf { get; init; }

    /// <summary>Asked about a mismatch, with legacy's and the candidate's results: true accepts it as a known, harmless difference, counted as equal rather than divergent.</summary>
    public Func<T, T, bool>? Ignore { get; init; }

    /// <summary>How a result is written in a divergence sample; by default its JSON in camelCase (with a <see cref="ResultComparison{T}.Json"/> comparison, written as that comparison serializes it), or its <c>ToString()</c> when it cannot be serialized.</summary>
    public Func<T, string>? Render { get; init; }

    /// <summary>Overrides <see cref="MigrationOptions.CandidateTimeout"/>.</summary>
    public TimeSpan? CandidateTimeout { get; init; }

    /// <summary>Overrides <see cref="MigrationOptions.ShadowExecution"/>.</summary>
    public ShadowExecution? ShadowExecution { get; init; }

    /// <summary>Overrides <see cref="MigrationOptions.FallbackToLegacy"/>.</summary>
    public bool? FallbackToLegacy { get; init; }
}
