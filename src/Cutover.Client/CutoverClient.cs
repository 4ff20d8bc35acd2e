using Cutover.Client.Decisions;
using Cutover.Client.Running;
using Cutover.Client.State;

namespace Cutover.Client;

/// <summary>
/// The client registered by <c>services.AddCutover(...)</c>. Deciding reads one entry of the
/// <see cref="MigrationTable"/> and, in a canary, hashes the sticky key; a call in <c>legacy</c>
/// mode goes straight to legacy, so an application pays next to nothing for the call sites of
/// migrations that have not started or were rolled back.
/// </summary>
internal sealed class CutoverClient(MigrationTable table, MigrationRunner runner) : ICutoverClient
{
    public bool IsCandidate(string migration, string? stickyKey = null)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return RouteDecider.Decide(table.Find(migration), stickyKey) is Route.Candidate or Route.CandidateOnly;
    }

    public Task<T> RunAsync<T>(
        string migration,
        Func<CancellationToken, Task<T>> legacy,
        Func<CancellationToken, Task<T>> candidate,
        string? stickyKey = null,
        RunOptions<T>? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(legacy);
        ArgumentNullException.ThrowIfNull(candidate);
        var setting = table.Find(migration);
        var route = RouteDecider.Decide(setting, stickyKey);
        if (route != Route.Legacy)
        {
            return runner.RunAsync(route, new MigrationCall<T>(migration, legacy, candidate, stickyKey, options, cancellationToken));
        }

        return setting is null ? legacy(cancellationToken) : runner.ServeLegacyAsync(migration, legacy, cancellationToken);
    }

    public T Run<T>(string migration, Func<T> legacy, Func<T> candidate, string? stickyKey = null, RunOptions<T>? options = null)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(legacy);
        ArgumentNullException.ThrowIfNull(candidate);
        var setting = table.Find(migration);
        var route = RouteDecider.Decide(setting, stickyKey);
        if (route != Route.Legacy)
        {
            return RunSynchronously(route, migration, legacy, candidate, stickyKey, options);
        }

        return setting is null ? legacy() : runner.ServeLegacy(migration, legacy);
    }

    /// <summary>
    /// A synchronous call that does more than call legacy; a method of its own because the lambdas
    /// below capture the delegates, and the closure they share would otherwise be allocated on
    /// every call, also in <c>legacy</c> mode.
    /// </summary>
    private T RunSynchronously<T>(Route route, string migration, Func<T> legacy, Func<T> candidate, string? stickyKey, RunOptions<T>? options)
    {
        // Every side runs synchronously inside these tasks, so waiting for the result blocks on nothing but the sides themselves.
        var call = new MigrationCall<T>(migration, _ => Task.FromResult(legacy()), _ => Task.FromResult(candidate()), stickyKey, options, CancellationToken.None);
        return runner.RunAsync(route, call).GetAwaiter().GetResult();
    }
}
