using Cutover.Client.Running;

namespace Cutover.Client;

/// <summary>
/// Code-level migrations under the control plane: one call site names a migration and gives both
/// implementations, and the migration's mode (legacy, shadow, canary, candidate, retired), set
/// and rolled back from the control plane, decides which runs, exactly as the proxy decides for a
/// route. A migration the control plane has not told this process about runs legacy.
/// </summary>
public interface ICutoverClient
{
    /// <summary>
    /// Whether a call of <paramref name="migration"/> for <paramref name="stickyKey"/> should take
    /// the candidate's branch: in <c>canary</c> mode for the keys in the candidate's share (the
    /// proxy's buckets, so a user is on the same side here and behind the proxy), in
    /// <c>candidate</c> and <c>retired</c> mode always. For code that branches itself; nothing is
    /// counted. Allocation-free, for the hottest paths.
    /// </summary>
    /// <param name="migration">The migration's name in the control plane.</param>
    /// <param name="stickyKey">What keeps a user on one side (a user or tenant id); null draws a side at random on each call.</param>
    bool IsCandidate(string migration, string? stickyKey = null);

    /// <summary>
    /// Runs a call of <paramref name="migration"/>: legacy alone, both sides (shadow: legacy's
    /// result is returned, the candidate's compared and counted, its failures never thrown), or
    /// the side a canary puts <paramref name="stickyKey"/> on, or the candidate with legacy as its
    /// fallback. In <c>legacy</c> mode the call is counted (not timed), and a legacy task that has
    /// already completed is returned as it is, so the mode costs two lookups and no allocation.
    /// </summary>
    /// <typeparam name="T">The result type of both sides.</typeparam>
    /// <param name="migration">The migration's name in the control plane.</param>
    /// <param name="legacy">The implementation being replaced.</param>
    /// <param name="candidate">Its replacement.</param>
    /// <param name="stickyKey">What keeps a user on one side in a canary; null draws a side at random.</param>
    /// <param name="options">How results are compared and the candidate run; null uses the migration's options.</param>
    /// <param name="cancellationToken">Passed to the side that runs; the candidate's is also cancelled at its timeout.</param>
    Task<T> RunAsync<T>(
        string migration,
        Func<CancellationToken, Task<T>> legacy,
        Func<CancellationToken, Task<T>> candidate,
        string? stickyKey = null,
        RunOptions<T>? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The synchronous twin of <see cref="RunAsync{T}"/>, for code that cannot await. The same
    /// modes and options; a concurrent shadow runs the candidate on the thread pool, and a
    /// candidate running synchronously cannot be interrupted by its timeout.
    /// </summary>
    /// <typeparam name="T">The result type of both sides.</typeparam>
    /// <param name="migration">The migration's name in the control plane.</param>
    /// <param name="legacy">The implementation being replaced.</param>
    /// <param name="candidate">Its replacement.</param>
    /// <param name="stickyKey">What keeps a user on one side in a canary; null draws a side at random.</param>
    /// <param name="options">How results are compared and the candidate run; null uses the migration's options.</param>
    T Run<T>(string migration, Func<T> legacy, Func<T> candidate, string? stickyKey = null, RunOptions<T>? options = null);
}
