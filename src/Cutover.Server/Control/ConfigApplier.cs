using Cutover.Core.Configuration;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;

namespace Cutover.Server.Control;

/// <summary>
/// <c>cutover apply -f FILE</c>: re-applies a config file to a running Cutover, on purpose. The
/// file is read by the same loader as <c>serve</c>, then compared with what runs. Only what can
/// change live is applied, each migration's changes in one store change with an <c>apply</c>
/// audit row: the mode and weight the file writes out, and the plan, which replaces the
/// migration's plan, outlives a restart and wins over the file's plan from then on. Anything
/// else that differs (a backend, the match, a new migration, a plan under way) refuses the whole
/// file before anything changes, because applying half of what a person wrote is worse than
/// applying none of it. File-level settings (listen, admin, store, notifications) are reported as
/// not applied rather than refused: they belong to the process, and a file for apply is usually
/// the very file <c>serve</c> runs with.
/// </summary>
public sealed class ConfigApplier(MigrationControl control, TimeProvider time)
{
    /// <summary>
    /// Applies <paramref name="yaml"/>, or with <paramref name="dryRun"/> says what applying it
    /// would change without changing anything. Throws <see cref="ConfigException"/> when the file
    /// is invalid, <see cref="ApplyRefusedException"/> when it cannot be applied live, and
    /// <see cref="ControlException"/> when the store refuses a change, or when the file would change
    /// a migration that <paramref name="mayChange"/> (the caller's token) does not allow.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(
        string yaml, string source, string actor, string reason, bool dryRun, CancellationToken cancellationToken, Func<string, bool>? mayChange = null)
    {
        // Relative paths (adminTls) are read as serve read them: a file to apply is usually the one serve runs with.
        var (written, file) = ConfigLoader.Read(yaml, source, Path.GetDirectoryName(Path.GetFullPath(control.Definition.Source)));
        var request = new ApplyRequestContext(source, actor, reason, time.GetUtcNow());
        var served = control.Definition.Migrations.Select(m => m.Name).ToList();
        var refusals = new List<string>();
        var decisions = new List<(MigrationDefinition File, MigrationConfig Written, ApplyDecision Decision)>();
        foreach (var migration in file.Migrations)
        {
            if (!served.Contains(migration.Name, StringComparer.Ordinal))
            {
                refusals.Add($"migration '{migration.Name}' is not served by this Cutover (it serves {string.Join(", ", served)}), and apply changes only migrations it serves; " +
                    "restart `cutover serve` with the file to add it");
                continue;
            }

            var section = written.Migrations.First(m => m.Name == migration.Name);
            var decision = ApplyDecision.Of(control.DefinitionOf(migration.Name), control.Get(migration.Name), migration, section, request);
            refusals.AddRange(decision.Refusals);
            decisions.Add((migration, section, decision));
        }

        refusals.AddRange(LockstepRefusals(file));
        if (refusals.Count > 0)
        {
            throw new ApplyRefusedException(source, refusals);
        }

        var forbidden = decisions.Where(d => d.Decision.Change is not null && mayChange?.Invoke(d.File.Name) == false).Select(d => d.File.Name).ToList();
        if (!dryRun && forbidden.Count > 0)
        {
            throw new ControlException(403, "Migration not allowed",
                $"{source} would change {string.Join(", ", forbidden)}, which this token may not change; nothing was applied. Apply with a token allowed to change them, or leave them out of the file.");
        }

        var applied = new List<MigrationApplied>();
        foreach (var (migration, section, decision) in decisions)
        {
            applied.Add(dryRun || decision.Change is null
                ? new MigrationApplied(migration.Name, decision.Changes, decision.Notes, null)
                : await ChangeAsync(migration, section, request, applied, cancellationToken));
        }

        var listed = file.Migrations.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        return new ApplyResult(source, dryRun, applied, [.. served.Where(name => !listed.Contains(name))], DefinitionDifferences.Settings(control.Definition, file));
    }

    /// <summary>
    /// Why the plans the file would leave a lockstep group with do not fit together (a member's plan
    /// replaced by one with other steps, or removed); the group is the running one, fixed at start.
    /// </summary>
    private IEnumerable<string> LockstepRefusals(CutoverDefinition file)
    {
        var groups = control.Definition.Migrations.Where(m => m.Lockstep).GroupBy(m => m.Group!, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var plans = group.Select(m => (m.Name, (file.Migrations.FirstOrDefault(f => f.Name == m.Name) ?? control.DefinitionOf(m.Name)).Plan)).ToList();
            foreach (var problem in LockstepShape.Problems(group.Key, plans))
            {
                yield return $"lockstep: {problem}; apply the same steps to every member in one file";
            }
        }
    }

    /// <summary>Stores one migration's changes, decided again on the state the store holds at that moment.</summary>
    private async Task<MigrationApplied> ChangeAsync(
        MigrationDefinition file, MigrationConfig section, ApplyRequestContext request, IReadOnlyList<MigrationApplied> before, CancellationToken cancellationToken)
    {
        ApplyDecision? decided = null;
        try
        {
            var changed = await control.ChangeAsync(file.Name, current =>
            {
                decided = ApplyDecision.Of(control.DefinitionOf(file.Name), current, file, section, request);
                return decided.Change ?? throw new ControlException(409, "Changed meanwhile",
                    $"Migration '{file.Name}' changed while {request.Source} was being applied" +
                    (decided.Refusals.Count > 0 ? $": {string.Join("; ", decided.Refusals)}." : ", so there is nothing left to apply to it.") +
                    " Check it with `cutover status`, then apply again.");
            }, cancellationToken);
            return new MigrationApplied(file.Name, decided!.Changes, decided.Notes, changed.Version);
        }
        catch (ControlException e) when (before.Any(m => m.Version is not null))
        {
            var done = before.Where(m => m.Version is not null).Select(m => $"{m.Name} (version {m.Version})");
            throw new ControlException(e.Status, e.Title, $"{e.Message} Already applied: {string.Join(", ", done)}; the rest of {request.Source} was not applied.");
        }
    }
}
