using System.Globalization;
using Cutover.Core.Configuration;
using Cutover.Core.Routing;
using Cutover.Core.State;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;
using Cutover.Server.Diagnostics;
using Cutover.Server.Routing;
using Cutover.Store;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Control;

/// <summary>
/// The control path: every change of mode or weight goes store first (state and audit row in one
/// transaction), then into a new snapshot for the data plane. A change the store did not accept
/// never reaches traffic, and one it accepted is never lost by a restart.
/// </summary>
public sealed class MigrationControl(
    CutoverDefinition definition,
    IControlStore store,
    SnapshotSource snapshots,
    MetricsRegistry metrics,
    ILogger<MigrationControl> logger)
{
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly Dictionary<string, MigrationDefinition> _files = definition.Migrations.ToDictionary(m => m.Name, StringComparer.Ordinal);
    private Dictionary<string, MigrationDefinition> _definitions = definition.Migrations.ToDictionary(m => m.Name, StringComparer.Ordinal);
    private Dictionary<string, MigrationState> _states = new(StringComparer.Ordinal);

    /// <summary>The validated config this control serves.</summary>
    public CutoverDefinition Definition => definition;

    /// <summary>The store behind it.</summary>
    public IControlStore Store => store;

    /// <summary>The counters of every migration.</summary>
    public MetricsRegistry Metrics => metrics;

    /// <summary>
    /// Raised after a migration's state changed here or was picked up from the store (another
    /// replica's change), once the new state is what <see cref="Get"/> returns: what the admin
    /// API's event stream pushes to the in-process SDKs. Handlers run on the changing thread, so
    /// they must only hand the state on.
    /// </summary>
    public event Action<MigrationState>? StateChanged;

    /// <summary>The current state of every migration, in config order.</summary>
    public IReadOnlyList<MigrationState> States
    {
        get
        {
            var states = Volatile.Read(ref _states);
            return definition.Migrations.Select(m => states[m.Name]).ToList();
        }
    }

    /// <summary>
    /// Opens the store, records migrations seen for the first time with the file's mode and
    /// weight, and publishes the first snapshot from the stored state (which wins over the file,
    /// and so does a plan applied at run time). Fails when an applied plan no longer passes
    /// validation, rather than run a migration on a plan nobody chose. Logs a warning when the
    /// store had to be created (a lost store must not pass unseen) and for each migration whose
    /// stored state differs from the file's.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        if (store.CreatedAfresh && definition.Migrations.Count > 0)
        {
            CutoverLog.StoreCreated(logger, store.Description, definition.Migrations.Count, definition.Source);
        }

        var seeds = definition.Migrations
            .Select(m => new StateChange(m.Name, "seed", m.InitialMode, m.InitialWeight, "cutover", $"first seen in {definition.Source}"))
            .ToList();
        var stored = await store.SeedAsync(seeds, cancellationToken);
        var states = stored.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var definitions = _files.Values.ToDictionary(m => m.Name, m => Running(m, states[m.Name].Plan), StringComparer.Ordinal);

        Volatile.Write(ref _definitions, definitions);
        Volatile.Write(ref _states, states);
        snapshots.Publish(SnapshotBuilder.Snapshot(definition, states, metrics, generation: 1));
        CutoverLog.SnapshotLoaded(logger, definition.Migrations.Count, store.Description);
        foreach (var file in definition.Migrations)
        {
            var differences = StoredOverFile(file, states[file.Name], definitions[file.Name]);
            if (differences.Count > 0)
            {
                CutoverLog.StoreWinsOverFile(logger, file.Name, string.Join("; ", differences), definition.Source);
            }
        }
    }

    /// <summary>
    /// Where the stored state of a migration differs from what its file says: editing the file
    /// and restarting changes nothing there, which is easy to forget, so the start says it.
    /// </summary>
    private static List<string> StoredOverFile(MigrationDefinition file, MigrationState state, MigrationDefinition running)
    {
        var differences = new List<string>();
        if (state.Mode != file.InitialMode)
        {
            differences.Add($"mode {state.Mode.ToWire()} (the file says {file.InitialMode.ToWire()})");
        }

        if (state.Weight != file.InitialWeight)
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"weight {state.Weight:0.##} (the file says {file.InitialWeight:0.##})"));
        }

        var plan = DefinitionDifferences.Plan(running.Plan, file.Plan);
        if (plan.Count > 0)
        {
            differences.Add($"the plan applied at run time (the file's differs in {string.Join(", ", plan.Select(c => c.Field))})");
        }

        return differences;
    }

    /// <summary>
    /// Picks up changes made through another replica (or another process on the same store):
    /// any migration whose stored version is newer than the one routing traffic here gets a new
    /// model. With <paramref name="progress"/>, also a plan's bake checkpointed by the replica that
    /// ran it, which changes no version: what a replica taking over the plans resumes from.
    /// Returns how many changed.
    /// </summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken, bool progress = false)
    {
        var stored = await store.GetStatesAsync(cancellationToken);
        await _changes.WaitAsync(cancellationToken);
        try
        {
            var states = Volatile.Read(ref _states);
            var newer = stored.Where(s => _files.ContainsKey(s.Name)
                && (s.Version > states[s.Name].Version || (progress && s.Version == states[s.Name].Version && s.Rollout != states[s.Name].Rollout))).ToList();
            if (newer.Count == 0)
            {
                return 0;
            }

            var updated = new Dictionary<string, MigrationState>(states, StringComparer.Ordinal);
            var definitions = new Dictionary<string, MigrationDefinition>(Volatile.Read(ref _definitions), StringComparer.Ordinal);
            var snapshot = snapshots.Current;
            foreach (var state in newer)
            {
                CutoverLog.StateChanged(logger, state.Name, "refresh", StateText.Format(states[state.Name].Mode, states[state.Name].Weight),
                    StateText.Format(state.Mode, state.Weight), "another replica", $"store version {state.Version}");
                updated[state.Name] = state;
                definitions[state.Name] = FollowPlan(definitions[state.Name], state.Plan);
                snapshot = snapshot.With(SnapshotBuilder.Model(definitions[state.Name], state, metrics));
            }

            // Definitions first: whoever reads the new state finds the plan it was stored with.
            Volatile.Write(ref _definitions, definitions);
            Volatile.Write(ref _states, updated);
            snapshots.Publish(snapshot);
            newer.ForEach(Announce);
            return newer.Count;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>The state of one migration; throws a 404 <see cref="ControlException"/> for an unknown name.</summary>
    public MigrationState Get(string name) =>
        Volatile.Read(ref _states).TryGetValue(name, out var state) ? state : throw Unknown(name);

    /// <summary>
    /// The definition a migration runs on: the config file's, with the plan applied at run time
    /// (<c>cutover apply</c>) when there is one. Throws a 404 <see cref="ControlException"/> for an unknown name.
    /// </summary>
    public MigrationDefinition DefinitionOf(string name) =>
        Volatile.Read(ref _definitions).TryGetValue(name, out var running) ? running : throw Unknown(name);

    /// <summary>
    /// Sets the canary weight. From legacy or candidate mode this also moves the migration to
    /// canary, because a weight only means something there and that is what the caller wants.
    /// <paramref name="weight"/> is the percentage as asked: one outside 0..100 is a 400 naming the range.
    /// </summary>
    public Task<MigrationState> SetWeightAsync(string name, double weight, string actor, string reason, CancellationToken cancellationToken)
    {
        Get(name);
        if (!Weight.TryFromPercent(weight, out var percentage))
        {
            throw new ControlException(400, "Weight out of range",
                string.Create(CultureInfo.InvariantCulture, $"Weight {weight} is outside 0..100; give the percentage of users to send to the candidate, between 0 and 100."));
        }

        return ChangeAsync(name, current =>
        {
            if (current.Mode == MigrationMode.Retired)
            {
                throw new ControlException(409, "Migration retired",
                    $"Migration '{name}' is retired: its legacy side is gone, so there is no traffic to split. Set mode 'candidate' first if the legacy backend is still running.");
            }

            return ByPerson(current, "weight", MigrationMode.Canary, percentage, actor, reason);
        }, cancellationToken, retryOnConflict: true);
    }

    /// <summary>Sets the mode; the weight is kept for a later return to canary.</summary>
    public Task<MigrationState> SetModeAsync(string name, string mode, string actor, string reason, CancellationToken cancellationToken)
    {
        Get(name);
        if (!MigrationModes.TryParse(mode, out var parsed))
        {
            throw new ControlException(400, "Unknown mode", $"'{mode}' is not a mode; use {MigrationModes.List}.");
        }

        return ChangeAsync(name, current => ByPerson(current, "mode", parsed, current.Weight, actor, reason), cancellationToken, retryOnConflict: true);
    }

    /// <summary>
    /// Sends every new request to legacy and zeroes the weight, so a later canary starts over
    /// instead of jumping back to where things went wrong.
    /// </summary>
    /// <remarks>A plan under way ends as rolled back, with <paramref name="decide"/>'s evidence (the failure report) kept with the audit row.</remarks>
    public Task<MigrationState> RollbackAsync(string name, Func<MigrationState, StateChange> decide, CancellationToken cancellationToken) =>
        ChangeAsync(name, current => current.Mode == MigrationMode.Retired
            ? throw new ControlException(409, "Migration retired",
                $"Migration '{name}' is retired, so its legacy backend may be gone and a rollback could fail every request. If legacy is still running, use `cutover mode {name} legacy`.")
            : decide(current), cancellationToken, retryOnConflict: true);

    /// <summary>
    /// Applies a move of the plan decided against the state it was decided on; fails with a 409
    /// when the state changed meanwhile (a person's command came first), so a stale decision of
    /// the orchestrator can never undo it.
    /// </summary>
    public Task<MigrationState> ApplyAsync(string name, long decidedOnVersion, Func<MigrationState, StateChange> decide, CancellationToken cancellationToken) =>
        ChangeAsync(name, current => current.Version == decidedOnVersion
            ? decide(current)
            : throw new ControlException(409, "Changed meanwhile",
                $"Migration '{name}' changed (version {current.Version}, not {decidedOnVersion}) before the plan's move was stored; it is judged again on the new state."),
            cancellationToken, retryOnConflict: false);

    /// <summary>A person's change of traffic; a plan under way pauses, so the orchestrator never moves traffic back over the person's head.</summary>
    private static StateChange ByPerson(MigrationState current, string action, MigrationMode mode, Weight weight, string actor, string reason) =>
        new(current.Name, action, mode, weight, actor, reason,
            Rollout: current.Rollout is { Status: RolloutStatus.Running } rollout
                ? rollout with { Status = RolloutStatus.Paused, Note = $"paused: {action} set by {actor}; `cutover resume` hands traffic back to the plan" }
                : null);

    /// <summary>
    /// Stores a change decided against the current state (again against the stored one, if
    /// another replica changed it first), then routes traffic by it.
    /// </summary>
    public Task<MigrationState> ChangeAsync(string name, Func<MigrationState, StateChange> decide, CancellationToken cancellationToken) =>
        ChangeAsync(name, decide, cancellationToken, retryOnConflict: true);

    private async Task<MigrationState> ChangeAsync(
        string name, Func<MigrationState, StateChange> decide, CancellationToken cancellationToken, bool retryOnConflict)
    {
        if (!_files.ContainsKey(name))
        {
            throw Unknown(name);
        }

        await _changes.WaitAsync(cancellationToken);
        try
        {
            var current = Get(name);
            var change = decide(current) with { ExpectedVersion = current.Version };
            MigrationState changed;
            try
            {
                try
                {
                    changed = await store.ChangeAsync(change, cancellationToken);
                }
                catch (VersionConflictException) when (retryOnConflict)
                {
                    // Another replica changed it first; take the stored state and decide again against it.
                    current = await store.GetStateAsync(name, cancellationToken) ?? throw Unknown(name);
                    change = decide(current) with { ExpectedVersion = current.Version };
                    changed = await store.ChangeAsync(change, cancellationToken);
                }
            }
            catch (StoreUnavailableException e)
            {
                throw new ControlException(503, "Store unavailable", $"{e.Message} Nothing was changed; traffic keeps its current routing.");
            }
            catch (VersionConflictException e)
            {
                throw new ControlException(409, "Changed meanwhile", $"{e.Message} Nothing was changed.");
            }

            var definitions = Volatile.Read(ref _definitions);
            var migration = change.Plan is null ? definitions[name] : Running(_files[name], changed.Plan);
            if (change.Plan is not null)
            {
                // Definitions first: whoever reads the new state finds the plan it was stored with.
                Volatile.Write(ref _definitions, new Dictionary<string, MigrationDefinition>(definitions, StringComparer.Ordinal) { [name] = migration });
            }

            var states = new Dictionary<string, MigrationState>(Volatile.Read(ref _states), StringComparer.Ordinal) { [name] = changed };
            Volatile.Write(ref _states, states);
            snapshots.Publish(snapshots.Current.With(SnapshotBuilder.Model(migration, changed, metrics)));
            CutoverLog.StateChanged(logger, name, change.Action, StateText.Format(current), StateText.Format(changed), change.Actor, change.Reason);
            Announce(changed);
            return changed;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// The file's definition with the plan applied at run time, if any; throws when that plan no
    /// longer passes validation (a build that checks plans more strictly than the one that stored it).
    /// </summary>
    private MigrationDefinition Running(MigrationDefinition file, AppliedPlan? applied)
    {
        if (applied is null)
        {
            return file;
        }

        if (applied.Config is not { } config)
        {
            return file with { Plan = null };
        }

        var (plan, errors) = ConfigValidator.ValidatePlan(config, file, store.Description);
        return plan is null
            ? throw new ControlException(500, "Applied plan invalid",
                $"The plan applied to migration '{file.Name}' at run time, kept in the store {store.Description}, does not pass this build's validation: " +
                $"{string.Join("; ", errors.Select(e => $"{e.Key}: {e.Message}"))}. To follow the config file's plan instead, run `UPDATE migrations SET plan_applied = false, plan = NULL WHERE name = '{file.Name}'` on the store.")
            : file with { Plan = plan };
    }

    /// <summary>
    /// The definition after another replica changed a migration: the same object while its plan is
    /// the same, so the orchestrator keeps what it knows of a plan under way; a plan that does not
    /// pass validation here is logged and this replica keeps its own.
    /// </summary>
    private MigrationDefinition FollowPlan(MigrationDefinition current, AppliedPlan? applied)
    {
        if (applied is null)
        {
            return current;
        }

        try
        {
            var running = Running(_files[current.Name], applied);
            return DefinitionDifferences.Plan(current.Plan, running.Plan).Count == 0 ? current : running;
        }
        catch (ControlException e)
        {
            CutoverLog.AppliedPlanIgnored(logger, current.Name, e.Message);
            return current;
        }
    }

    private void Announce(MigrationState state) => StateChanged?.Invoke(state);

    private ControlException Unknown(string name) => new(404, "Unknown migration",
        $"There is no migration named '{name}'. Known migrations: {(_files.Count == 0 ? "none" : string.Join(", ", _files.Keys))}.");
}
