using System.Globalization;
using Cutover.Core.Checks;
using Cutover.Core.Routing;
using Cutover.Core.State;
using Cutover.Core.Values;
using Cutover.Kernel.Routing;
using Cutover.Server.Control;
using Cutover.Server.Metrics;

namespace Cutover.Server.Checks;

/// <summary>
/// Runs a migration's pre-migration checks: both backends' health endpoints answer, a rollback
/// path exists, requests are reaching the migration (so a rollout has a baseline to judge the
/// candidate against), and the config's custom HTTP checks pass. <c>cutover check</c> and
/// <c>GET /api/migrations/{name}/checks</c> call it, and so does a plan before it starts.
/// Registered as a singleton by <c>AddCutover</c>.
/// </summary>
public sealed class PreflightRunner : IDisposable
{
    /// <summary>How far back <see cref="CheckNames.MetricsFlowing"/> looks for requests: the default window a rollout judges.</summary>
    public static readonly TimeSpan TrafficWindow = TimeSpan.FromMinutes(5);

    private readonly MigrationControl _control;
    private readonly SharedMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly HttpProbe _probe = new();

    /// <summary>
    /// A runner over the migrations <paramref name="control"/> serves, looking for traffic in
    /// <paramref name="metrics"/> (every replica's) and reading "now" from <paramref name="time"/>.
    /// </summary>
    public PreflightRunner(MigrationControl control, SharedMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        _control = control;
        _metrics = metrics;
        _time = time;
    }

    /// <summary>
    /// Runs every check of <paramref name="migration"/> at once, each within its timeout, and
    /// reports them all; a failing backend gives a failed check, never an exception. An unknown
    /// migration is a 404 <see cref="ControlException"/>. Cancelling <paramref name="cancellationToken"/>
    /// abandons the checks with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<PreflightReport> RunAsync(string migration, CancellationToken cancellationToken)
    {
        var state = _control.Get(migration);
        var definition = _control.Definition.Migrations.First(m => m.Name == migration);
        var policy = definition.Checks;
        var started = _time.GetUtcNow();

        var code = definition.Kind == MigrationKind.Code;
        var legacy = code ? InProcess(CheckNames.HealthLegacy, "legacy") : HealthAsync(CheckNames.HealthLegacy, "legacy", definition.Legacy, definition.Backends.Legacy, policy.LegacyHealthPath, policy.Timeout, cancellationToken);
        var candidate = code ? InProcess(CheckNames.HealthCandidate, "candidate") : HealthAsync(CheckNames.HealthCandidate, "candidate", definition.Candidate, definition.Backends.Candidate, policy.CandidateHealthPath, policy.Timeout, cancellationToken);
        var rollback = RollbackPathAsync(state, legacy);
        var metrics = Task.FromResult(MetricsFlowing(migration));
        var custom = policy.Http.Select(check => CustomAsync(check, cancellationToken));

        var results = await Task.WhenAll([legacy, candidate, rollback, metrics, .. custom]);
        return new PreflightReport(migration, started, results.All(r => r.Passed), results);
    }

    /// <inheritdoc />
    public void Dispose() => _probe.Dispose();

    private async Task<CheckResult> HealthAsync(string name, string side, Uri backend, BackendSettings settings, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var url = CheckPolicy.HealthUrl(backend, path);
        var (status, failure) = await _probe.GetAsync(url, settings, timeout, cancellationToken);
        var detail = status switch
        {
            null => $"GET {url} {failure}",
            >= 200 and < 300 => $"GET {url} answered {HttpProbe.Describe(status.Value)}",
            404 => $"GET {url} answered {HttpProbe.Describe(404)}, not 2xx: the {side} backend has no health endpoint at {path}; set checks.health.{side} to its health path",
            _ => $"GET {url} answered {HttpProbe.Describe(status.Value)}, not 2xx: the {side} backend does not report itself healthy",
        };
        return Result(name, status is >= 200 and < 300, detail, started);
    }

    /// <summary>A code-level migration's side runs inside the application: there is no backend to ask, and a rollback only needs the SDK to follow the state.</summary>
    private Task<CheckResult> InProcess(string name, string side) =>
        Task.FromResult(Result(name, true, $"the {side} side runs inside the application (kind: code); Cutover.Client falls back to legacy on its own", _time.GetTimestamp()));

    private async Task<CheckResult> CustomAsync(HttpCheck check, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        // A custom check names any URL, not a backend, so it is asked as a plain URL is.
        var (status, failure) = await _probe.GetAsync(check.Url, BackendSettings.Default, check.Timeout, cancellationToken);
        var expected = check.ExpectStatus is { } expect ? $"expected {expect}" : "not 2xx";
        var detail = status switch
        {
            null => $"GET {check.Url} {failure}",
            _ when check.Accepts(status.Value) => $"GET {check.Url} answered {HttpProbe.Describe(status.Value)}",
            _ => $"GET {check.Url} answered {HttpProbe.Describe(status.Value)}, {expected}",
        };
        return Result(check.Name, status is { } answered && check.Accepts(answered), detail, started);
    }

    /// <summary>
    /// Whether traffic could go back to legacy if the candidate fails: the migration is not retired
    /// (where rollback is refused) and legacy answers its health check.
    /// </summary>
    private async Task<CheckResult> RollbackPathAsync(MigrationState state, Task<CheckResult> legacyHealth)
    {
        var started = _time.GetTimestamp();
        var legacy = await legacyHealth;
        var name = state.Name;
        if (state.Mode == MigrationMode.Retired)
        {
            return Result(CheckNames.RollbackPath, false,
                $"Migration '{name}' is retired, where `cutover rollback` is refused, so traffic has no way back to legacy. If the legacy backend still runs, `cutover mode {name} candidate` makes a rollback possible again.",
                started);
        }

        return legacy.Passed
            ? Result(CheckNames.RollbackPath, true, $"Mode {state.Mode.ToWire()} and legacy answers: `cutover rollback {name}` can send every user back to legacy.", started)
            : Result(CheckNames.RollbackPath, false,
                $"The legacy backend does not pass {CheckNames.HealthLegacy}, so a rollback would send every user to a backend that fails them; bring legacy back before moving traffic.",
                started);
    }

    private CheckResult MetricsFlowing(string migration)
    {
        var started = _time.GetTimestamp();
        var buckets = _metrics.Recent(migration, TrafficWindow, _time.GetUtcNow());
        var legacy = buckets.Sum(b => b.Legacy.Requests);
        var candidate = buckets.Sum(b => b.Candidate.Requests);
        var window = Duration.Format(TrafficWindow);
        return legacy + candidate > 0
            ? Result(CheckNames.MetricsFlowing, true,
                string.Create(CultureInfo.InvariantCulture, $"{legacy + candidate} request{(legacy + candidate == 1 ? string.Empty : "s")} in the last {window} (legacy {legacy}, candidate {candidate})"), started)
            : Result(CheckNames.MetricsFlowing, false,
                _control.DefinitionOf(migration).Kind == MigrationKind.Code
                    ? $"No calls of code-level migration '{migration}' were reported by any application in the last {window}, so a rollout would have no baseline to judge the candidate against; run the application with Cutover.Client pointed at this control plane first."
                    : $"No requests reached migration '{migration}' through any Cutover replica in the last {window}, so a rollout would have no baseline to judge the candidate against; send traffic through the proxy first.",
                started);
    }

    private CheckResult Result(string name, bool passed, string detail, long started) =>
        new(name, passed, detail, _time.GetElapsedTime(started).TotalMilliseconds);
}
