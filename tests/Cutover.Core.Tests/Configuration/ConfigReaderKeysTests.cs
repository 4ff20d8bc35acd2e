namespace Cutover.Core.Tests.Configuration;

/// <summary>
/// Every section's "Allowed keys here" list, word for word: the lists come from the reader's key
/// tables, so these pin each table's keys and their order.
/// </summary>
public sealed class ConfigReaderKeysTests
{
    [Theory]
    [InlineData("zzz: 1", "zzz", "listen, listenProtocol, tls, admin, adminProtocol, adminAuth, adminTls, store, fallback, trustedProxies, migrations, lockstep, notifications, telemetry")]
    [InlineData("adminTls: { zzz: 1 }", "adminTls.zzz", "certificate, key, pfx, password, sni, minVersion")]
    [InlineData("notifications: { zzz: 1 }", "notifications.zzz", "webhooks")]
    [InlineData("telemetry: { zzz: 1 }", "telemetry.zzz", "otlp")]
    [InlineData("notifications: { webhooks: [ { url: 'https://hooks.example.com/x', zzz: 1 } ] }", "notifications.webhooks[0].zzz",
        "url, format, events, migrations, headers, timeout, retries, allowPrivate")]
    public void Parse_UnknownFileKey_ListsTheSectionsKeysInOrder(string yaml, string key, string allowed)
    {
        var errors = OneMigrationFile.Errors(yaml + "\n" + OneMigrationFile.With(string.Empty));

        Assert.Contains(errors, e => e.EndsWith($"{key}: unknown key Allowed keys here: {allowed}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zzz: 1", "zzz", "name, kind, match, legacy, candidate, mode, weight, stickyBy, timeouts, shadow, compare, checks, plan, errors, sideHeader, override, failover, group, priority")]
    [InlineData("timeouts: { zzz: 1 }", "timeouts.zzz", "legacy, candidate")]
    [InlineData("shadow: { zzz: 1 }", "shadow.zzz", "percent, methods, maxBodyBytes, maxResponseBytes, timeout, noiseProbe, alsoInCanary, concurrency, queueSize, maxQueuedBytes, redact")]
    [InlineData("shadow: { redact: { zzz: 1 } }", "shadow.redact.zzz", "headers, fields")]
    [InlineData("compare: { zzz: 1 }", "compare.zzz", "ignore, headers, numericTolerance, unorderedArrays, normalizeWhitespace, descriptorSet")]
    [InlineData("checks: { zzz: 1 }", "checks.zzz", "health, timeout, http")]
    [InlineData("checks: { health: { zzz: 1 } }", "checks.health.zzz", "legacy, candidate")]
    [InlineData("checks: { http: [ { name: db, url: 'http://127.0.0.1:9002/db', zzz: 1 } ] }", "checks.http.db.zzz", "name, url, expectStatus, timeout")]
    [InlineData("errors: { zzz: 1 }", "errors.zzz", "statuses, grpcStatuses, connectionFailures, timeouts, unansweredAfter")]
    [InlineData("plan: { zzz: 1 }", "plan.zzz", "steps, gates, triggers, minSamples, inconclusiveAfter, drainTimeout, window, progressDeadline")]
    [InlineData("override: { header: Cutover-Route, zzz: 1 }", "override.zzz", "header, cookie, networks, secret")]
    [InlineData("plan: { steps: [ { zzz: 1 } ] }", "plan.steps[1].zzz", "shadow, weight, pause, smoke, backfill, pointOfNoReturn, retire, progressDeadline")]
    [InlineData("plan: { steps: [ { shadow: { zzz: 1 } } ] }", "plan.steps[1].shadow.zzz", "duration, minRequests")]
    [InlineData("plan: { steps: [ { pause: { zzz: 1 } } ] }", "plan.steps[1].pause.zzz", "duration")]
    [InlineData("plan: { steps: [ { smoke: { zzz: 1 } } ] }", "plan.steps[1].smoke.zzz", "requests, path, grpc")]
    [InlineData("plan: { steps: [ { pointOfNoReturn: { zzz: 1 } } ] }", "plan.steps[1].pointOfNoReturn.zzz", "note")]
    [InlineData("plan: { window: { zzz: 1 } }", "plan.window.zzz", "days, hours, timeZone")]
    public void Parse_UnknownMigrationKey_ListsTheSectionsKeysInOrder(string line, string key, string allowed)
    {
        var errors = OneMigrationFile.Errors(OneMigrationFile.With("    " + line));

        Assert.Contains(errors, e => e.EndsWith($"{key}: unknown key Allowed keys here: {allowed}", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnknownMatchKey_ListsTheSectionsKeysInOrder()
    {
        var errors = OneMigrationFile.Errors(OneMigrationFile.With(string.Empty).Replace("{ pathPrefix: /orders }", "{ pathPrefix: /orders, zzz: 1 }", StringComparison.Ordinal));

        Assert.Contains(errors, e => e.EndsWith("match.zzz: unknown key Allowed keys here: pathPrefix, host, grpc, methods, headers", StringComparison.Ordinal));
    }
}
