using System.Globalization;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Running;
using Cutover.Core.Configuration;
using Cutover.Core.Routing;
using Cutover.Core.Security;
using Cutover.Core.State;
using Cutover.Kernel.Routing;
using Cutover.Server.Checks;
using Cutover.Server.Control;
using Cutover.Server.Fleet;
using Cutover.Server.Metrics;
using Cutover.Server.Notifications;
using Cutover.Server.Rollout;
using Cutover.Server.Routing;
using Cutover.Server.Security;
using Cutover.Server.Shadow;
using Cutover.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Server.Admin;

/// <summary>
/// The admin API: JSON in and out, errors as RFC 7807 problem details that say what was wrong
/// and how to fix it. Its <see cref="AdminGuard"/> decides who may call it: tokens with roles,
/// or, without tokens, only calls over loopback.
/// </summary>
public static class AdminEndpoints
{
    private const string WeightExample = """{"weight": 25, "reason": "error rate flat for an hour"}""";
    private const string ModeExample = """{"mode": "candidate", "reason": "all checks green"}""";
    private const string ActionExample = """{"reason": "p99 doubled"}""";
    private const string RollbackExample = """{"force": false, "reason": "p99 doubled"}""";
    private const string PromoteExample = """{"force": false, "reason": "dashboards look good"}""";
    private const string ApplyExample = """{"config": "migrations:\n  - name: orders\n    ...", "source": "cutover.yaml", "reason": "new plan", "dryRun": true}""";
    private const int MaxAuditRows = 10_000;

    // A config file is larger than a command's body; this is still far below what could hurt the admin host.
    private const long MaxApplyBodyBytes = 1024 * 1024;

    /// <summary>
    /// Maps the admin API on <paramref name="endpoints"/>, <c>cutover serve</c>'s admin listener or
    /// any route group or port of an application's own. The <see cref="AdminGuard"/> wraps every
    /// endpoint it maps, so the config's <c>adminAuth</c>, the roles and the loopback and
    /// <c>Host</c> rules hold wherever it is mapped. Fails fast when the Cutover services are
    /// missing, and when an admin without tokens would be reachable off loopback.
    /// </summary>
    public static RouteGroupBuilder MapCutoverAdmin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<MigrationControl>() is null)
        {
            throw new InvalidOperationException("MapCutoverAdmin needs the Cutover services: call services.AddCutover(...) first.");
        }

        var admin = Guarded(endpoints);

        admin.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).Allow(AdminPermission.Public);
        admin.MapGet("/readyz", ReadyAsync).Allow(AdminPermission.Public);
        admin.MapGet("/metrics", (MigrationControl control, WebhookNotifier notifier) =>
            Results.Text(PrometheusText.Write(control.States, control.Metrics, notifier.Lanes), PrometheusText.ContentType)).Allow(AdminPermission.Read);

        var api = admin.MapGroup("/api").AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (ControlException e)
            {
                return Results.Problem(e.Message, statusCode: e.Status, title: e.Title);
            }
            catch (StoreUnavailableException e)
            {
                return Results.Problem($"{e.Message} Traffic keeps its current routing.", statusCode: 503, title: "Store unavailable");
            }
        });

        api.MapGet("/migrations", (string? group, MigrationControl control, RolloutControl rollouts) =>
            InGroup(control.Definition, group).Select(m => View(control, rollouts, control.Get(m.Name))).ToList()).Allow(AdminPermission.ReadState);
        api.MapGet("/migrations/{name}", (string name, MigrationControl control, RolloutControl rollouts) => View(control, rollouts, control.Get(name))).Allow(AdminPermission.ReadState);
        api.MapPost("/migrations/{name}/weight", async (string name, HttpRequest request, MigrationControl control, RolloutControl rollouts, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<WeightRequest>(request, WeightExample, required: true, ct);
            if (body?.Weight is not { } weight)
            {
                throw new ControlException(400, "Weight missing", $"The body must give a weight, like {WeightExample}.");
            }

            var forced = Weight.TryFromPercent(weight, out var target)
                ? rollouts.GuardTrafficBack(name, MigrationMode.Canary, target, body.Force ?? false, $"weight {name} {weight.ToString(CultureInfo.InvariantCulture)}")
                : string.Empty;
            return View(control, rollouts, await control.SetWeightAsync(name, weight, Actor(request, body.Actor), WithForced(body.Reason, forced), ct));
        }).Allow(AdminPermission.Operate);
        api.MapPost("/migrations/{name}/mode", async (string name, HttpRequest request, MigrationControl control, RolloutControl rollouts, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<ModeRequest>(request, ModeExample, required: true, ct);
            if (string.IsNullOrWhiteSpace(body?.Mode))
            {
                throw new ControlException(400, "Mode missing", $"The body must give a mode, like {ModeExample}.");
            }

            var forced = MigrationModes.TryParse(body.Mode, out var mode)
                ? rollouts.GuardTrafficBack(name, mode, control.Get(name).Weight, body.Force ?? false, $"mode {name} {body.Mode.Trim()}")
                : string.Empty;
            return View(control, rollouts, await control.SetModeAsync(name, body.Mode, Actor(request, body.Actor), WithForced(body.Reason, forced), ct));
        }).Allow(AdminPermission.Operate);
        api.MapPost("/migrations/{name}/rollback", async (string name, HttpRequest request, MigrationControl control, RolloutControl rollouts, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<PromoteRequest>(request, RollbackExample, required: false, ct);
            return View(control, rollouts, await rollouts.RollbackAsync(name, Actor(request, body?.Actor), body?.Reason ?? string.Empty, evidence: null, ct, force: body?.Force ?? false));
        }).Allow(AdminPermission.Operate);
        api.MapPost("/migrations/{name}/promote", async (string name, HttpRequest request, MigrationControl control, RolloutControl rollouts, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<PromoteRequest>(request, PromoteExample, required: false, ct);
            return View(control, rollouts, await rollouts.PromoteAsync(name, body?.Force ?? false, Actor(request, body?.Actor), body?.Reason ?? string.Empty, ct));
        }).Allow(AdminPermission.Operate);
        api.MapPost("/migrations/{name}/retry", async (string name, HttpRequest request, MigrationControl control, RolloutControl rollouts, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<PromoteRequest>(request, PromoteExample, required: false, ct);
            return View(control, rollouts, await rollouts.RetryAsync(name, body?.Force ?? false, Actor(request, body?.Actor), body?.Reason ?? string.Empty, ct));
        }).Allow(AdminPermission.Operate);
        MapPlanAction(api, "pause", (rollouts, name, actor, reason, ct) => rollouts.PauseAsync(name, actor, reason, ct));
        MapPlanAction(api, "resume", (rollouts, name, actor, reason, ct) => rollouts.ResumeAsync(name, actor, reason, ct));
        MapPlanAction(api, "abort", (rollouts, name, actor, reason, ct) => rollouts.AbortAsync(name, actor, reason, ct));
        api.MapGet("/migrations/{name}/report", async (string name, RolloutControl rollouts, CancellationToken ct) =>
            await rollouts.LatestReportAsync(name, ct) is { } report
                ? Results.Json(report)
                : throw new ControlException(404, "No failure report", $"Migration '{name}' has never been rolled back, so there is no failure report.")).Allow(AdminPermission.Read);
        api.MapGet("/migrations/{name}/divergences", async (string name, long? sample, MigrationControl control, EvidenceWriter evidence, CancellationToken ct) =>
        {
            var state = control.Get(name);
            await evidence.FlushAsync(name, ct);
            var report = await control.Store.GetDivergencesAsync(name, ct);
            var shown = sample ?? report.Endpoints.FirstOrDefault(e => e.Samples.Count > 0)?.Samples[0].Id;
            var full = shown is { } id ? await control.Store.GetSampleAsync(name, id, ct) : null;
            if (sample is not null && full is null)
            {
                throw new ControlException(404, "Unknown sample", $"Migration '{name}' has no stored sample {sample}; list the samples with GET /api/migrations/{name}/divergences.");
            }

            return new DivergencesView(name, state.Mode.ToWire(), ShadowView.From(control.Metrics.For(name).Shadow), report.Endpoints, full)
            {
                Ignored = [.. control.DefinitionOf(name).Compare.Json.Ignore.Select(p => p.Text)],
            };
        }).Allow(AdminPermission.Read);
        api.MapGet("/migrations/{name}/metrics", (string name, string? window, MigrationControl control, SharedMetrics metrics, TimeProvider time) =>
        {
            control.Get(name);
            var length = MetricsWindowParameter.Parse(window);
            var now = time.GetUtcNow();
            return MetricsView.Of(name, window ?? MetricsWindowParameter.Default, [.. metrics.Recent(name, length, now)], metrics.Replicas(name, length, now), now - length, now);
        }).Allow(AdminPermission.Read);
        api.MapGet("/migrations/{name}/judge", async (string name, RolloutControl rollouts, CancellationToken cancellationToken) =>
            JudgeView.Of(name, await rollouts.ReadAsync(name, cancellationToken), await rollouts.BackfillOfAsync(name, cancellationToken))).Allow(AdminPermission.Read);
        api.MapGet("/migrations/{name}/checks", (string name, PreflightRunner checks, CancellationToken ct) => checks.RunAsync(name, ct)).Allow(AdminPermission.Read);
        api.MapGet("/fleet", async (string? group, MigrationControl control, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            return FleetView.From(group, now, await FleetReader.ReadAsync(control, InGroup(control.Definition, group), now, ct));
        }).Allow(AdminPermission.Read);
        api.MapGet("/backfills", async (MigrationControl control, TimeProvider time, CancellationToken ct) =>
        {
            var records = await BackfillStore(control).GetBackfillsAsync(ct);
            var now = time.GetUtcNow();
            return records.Select(r => BackfillView.Of(BackfillProgress.Of(r, null, now))).ToList();
        }).Allow(AdminPermission.Read);
        api.MapGet("/backfills/{name}", async (string name, MigrationControl control, TimeProvider time, CancellationToken ct) =>
        {
            var store = BackfillStore(control);
            var record = await store.GetBackfillAsync(name, ct)
                ?? throw new ControlException(404, "Unknown backfill job",
                    $"There is no backfill job '{name}' in {store.Description}. List the jobs with GET /api/backfills; a job shows here once `cutover backfill run -f JOB.yaml --store` has run it against this store.");
            return BackfillView.Of(BackfillProgress.Of(record, null, time.GetUtcNow()));
        }).Allow(AdminPermission.Read);
        api.MapPost("/apply", ApplyAsync).Allow(AdminPermission.Operate);
        api.MapGet("/export", (string? migration, string? group, MigrationControl control) => migration is not null && group is not null
            ? throw new ControlException(400, "Migration or group", $"Give migration={migration} or group={group}, not both; leave both out to export every migration.")
            : ExportView.Of(control, migration, [.. InGroup(control.Definition, group).Select(m => m.Name)])).Allow(AdminPermission.Administer);
        api.MapGet("/events", EventStream.StreamAsync).Allow(AdminPermission.ReadState);
        api.MapGet("/whoami", (HttpRequest request, AdminGuardSettings settings) => WhoAmIView.Of(Caller(request), settings.Mode)).Allow(AdminPermission.ReadState);
        api.MapPost("/results", ResultsIntake.ReceiveAsync).Allow(AdminPermission.Report);
        api.MapTokens();
        api.MapGet("/audit", async (string? migration, int? limit, long? before, MigrationControl control, CancellationToken ct) =>
        {
            if (limit is < 1 or > MaxAuditRows)
            {
                throw new ControlException(400, "Limit out of range", $"limit={limit} is outside 1..{MaxAuditRows}; ask for fewer rows and page with before=ID.");
            }

            if (migration is not null)
            {
                control.Get(migration);
            }

            return await control.Store.GetAuditAsync(new AuditQuery(migration, limit ?? 100, before), ct);
        }).Allow(AdminPermission.Read);

        return admin;
    }

    /// <summary>
    /// A route group whose every endpoint runs behind the <see cref="AdminGuard"/> with the role it
    /// declares, for the admin API and the dashboard alike.
    /// </summary>
    internal static RouteGroupBuilder Guarded(IEndpointRouteBuilder endpoints)
    {
        var guard = endpoints.ServiceProvider.GetRequiredService<AdminGuard>();
        var group = endpoints.MapGroup(string.Empty);
        // Last, around the delegate that binds the parameters, so nothing of an endpoint runs before the guard.
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            var handler = endpoint.RequestDelegate ?? throw new InvalidOperationException($"The admin endpoint {endpoint.DisplayName} has no request delegate to guard.");
            var access = endpoint.Metadata.OfType<AdminAccess>().LastOrDefault();
            endpoint.RequestDelegate = context => guard.InvokeAsync(context, access, handler);
        });
        return group;
    }

    private static void MapPlanAction(
        RouteGroupBuilder api, string action, Func<RolloutControl, string, string, string, CancellationToken, Task<MigrationState>> run) =>
        api.MapPost($"/migrations/{{name}}/{action}", async (string name, HttpRequest request, MigrationControl control, RolloutControl rollouts, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<ActionRequest>(request, ActionExample, required: false, ct);
            return View(control, rollouts, await run(rollouts, name, Actor(request, body?.Actor), body?.Reason ?? string.Empty, ct));
        }).Allow(AdminPermission.Operate);

    private static async Task<IResult> ApplyAsync(HttpRequest request, ConfigApplier applier, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxApplyBodyBytes;
        }

        var body = await RequestBody.ReadAsync<ApplyRequest>(request, ApplyExample, required: true, ct);
        if (string.IsNullOrWhiteSpace(body?.Config))
        {
            throw new ControlException(400, "Config missing", $"The body must give the config file's text, like {ApplyExample}.");
        }

        var source = string.IsNullOrWhiteSpace(body.Source) ? "config" : body.Source.Trim();
        try
        {
            var caller = Caller(request);
            return Results.Ok(await applier.ApplyAsync(body.Config, source, caller.Actor(body.Actor), body.Reason ?? string.Empty, body.DryRun ?? false, ct, caller.MayChange));
        }
        catch (ConfigException e)
        {
            return Results.Problem(e.Message, statusCode: 400, title: "Invalid config", extensions: new Dictionary<string, object?> { ["errors"] = e.Errors });
        }
        catch (ApplyRefusedException e)
        {
            return Results.Problem(e.Message, statusCode: 409, title: "Cannot apply while running", extensions: new Dictionary<string, object?> { ["reasons"] = e.Reasons });
        }
    }

    private static async Task<IResult> ReadyAsync(SnapshotSource snapshots, MigrationControl control, CancellationToken ct)
    {
        if (!snapshots.IsLoaded)
        {
            return Results.Problem("No routing snapshot has been loaded yet.", statusCode: 503, title: "Not ready");
        }

        return await control.Store.PingAsync(ct)
            ? Results.Ok(new { status = "ready", store = control.Store.Description })
            : Results.Problem($"The store {control.Store.Description} does not answer; traffic is served on the last known state, but changes will fail.", statusCode: 503, title: "Store unavailable");
    }

    private static MigrationView View(MigrationControl control, RolloutControl rollouts, MigrationState state) =>
        MigrationView.From(control.Definition.Migrations.First(m => m.Name == state.Name), state, control.Metrics.For(state.Name),
            PlanView.Of(rollouts.PlanOf(state.Name), state.Rollout, rollouts.Baked(state), rollouts.Now));

    /// <summary>The migrations of a group in config order, or all of them for no group; an unknown group is a 404 naming the groups there are.</summary>
    private static List<MigrationDefinition> InGroup(CutoverDefinition definition, string? group)
    {
        var migrations = definition.Migrations.Where(m => group is null || m.Group == group).ToList();
        if (migrations.Count > 0 || group is null)
        {
            return migrations;
        }

        var groups = definition.Migrations.Select(m => m.Group).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        throw new ControlException(404, "Unknown group", groups.Count == 0
            ? $"No migration is in group '{group}': no migration has a group. Give migrations one with 'group: NAME' in the config."
            : $"No migration is in group '{group}'. Groups: {string.Join(", ", groups)}.");
    }

    /// <summary>The control store as the backfill engine writes it: jobs run by the CLI against the same store show here.</summary>
    private static IBackfillStore BackfillStore(MigrationControl control) =>
        control.Store as IBackfillStore
            ?? throw new ControlException(501, "No backfill jobs in this store", $"The store {control.Store.Description} does not keep backfill jobs; run Cutover on a SQLite or PostgreSQL store to see them here.");

    /// <summary>A person's reason, with the words a change forced past the point of no return ends with (none when it was not).</summary>
    private static string WithForced(string? reason, string forced) =>
        string.IsNullOrEmpty(reason) ? forced.TrimStart(';', ' ') : reason + forced;

    /// <summary>The audit's actor: who the guard authenticated, with the body's <c>actor</c> kept only as "on behalf of" text.</summary>
    private static string Actor(HttpRequest request, string? onBehalfOf) => Caller(request).Actor(onBehalfOf);

    /// <summary>The caller the guard established; every endpoint that changes something runs behind it.</summary>
    internal static AdminCaller Caller(HttpRequest request) =>
        request.HttpContext.Features.Get<AdminCaller>() ?? throw new InvalidOperationException("The admin API's guard did not run: map the admin API with MapCutoverAdmin.");
}
