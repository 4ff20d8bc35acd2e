using Cutover.Core.Checks;
using Cutover.Core.Configuration;

namespace Cutover.Core.Tests.Configuration;

/// <summary>The <c>checks</c> section of a migration: what the pre-migration checks ask, and every way to get it wrong.</summary>
public class ChecksConfigTests
{
    [Fact]
    public void Load_ChecksSection_ParsesEveryKey()
    {
        var orders = Assert.Single(ConfigLoader.Load(OneMigrationFile.With("""
                checks:
                  health: { legacy: /healthz, candidate: "/v2/health?full=1" }
                  timeout: 2s
                  http:
                    - name: candidate-db
                      url: http://127.0.0.1:9002/health/db
                      expectStatus: 200
                      timeout: 500ms
                    - name: queue
                      url: https://queue.internal/ready?deep=true
            """), "c.yaml").Migrations);

        var checks = orders.Checks;
        Assert.Equal("/healthz", checks.LegacyHealthPath);
        Assert.Equal("/v2/health?full=1", checks.CandidateHealthPath);
        Assert.Equal(TimeSpan.FromSeconds(2), checks.Timeout);
        Assert.Equal(2, checks.Http.Count);
        Assert.Equal(new HttpCheck("candidate-db", new Uri("http://127.0.0.1:9002/health/db"), 200, TimeSpan.FromMilliseconds(500)), checks.Http[0]);
        Assert.Equal(new HttpCheck("queue", new Uri("https://queue.internal/ready?deep=true"), null, TimeSpan.FromSeconds(2)), checks.Http[1]);
    }

    [Fact]
    public void Load_NoChecksSection_GetsTheRootOfEachBackendWithinFiveSeconds()
    {
        var orders = Assert.Single(ConfigLoader.Load(OneMigrationFile.With(string.Empty), "c.yaml").Migrations);

        Assert.Equal(CheckPolicy.Default, orders.Checks);
        Assert.Equal(("/", "/"), (orders.Checks.LegacyHealthPath, orders.Checks.CandidateHealthPath));
        Assert.Equal(TimeSpan.FromSeconds(5), orders.Checks.Timeout);
        Assert.Empty(orders.Checks.Http);
    }

    [Fact]
    public void Load_HealthOfOneSide_LeavesTheOtherAtTheDefault()
    {
        var checks = Assert.Single(ConfigLoader.Load(OneMigrationFile.With("    checks: { health: { candidate: /healthz } }"), "c.yaml").Migrations).Checks;

        Assert.Equal(("/", "/healthz"), (checks.LegacyHealthPath, checks.CandidateHealthPath));
    }

    [Theory]
    [InlineData(200, 200, true)]
    [InlineData(200, 204, false)]
    [InlineData(null, 204, true)]
    [InlineData(null, 301, false)]
    [InlineData(503, 503, true)]
    public void Accepts_CustomCheck_IsTrueForItsExpectedStatusOrElseAny2xx(int? expect, int status, bool accepted) =>
        Assert.Equal(accepted, new HttpCheck("c", new Uri("http://127.0.0.1:1/"), expect, TimeSpan.FromSeconds(1)).Accepts(status));

    [Theory]
    [InlineData("http://127.0.0.1:9002", "/healthz", "http://127.0.0.1:9002/healthz")]
    [InlineData("http://127.0.0.1:9002/v2", "/healthz", "http://127.0.0.1:9002/v2/healthz")]
    [InlineData("http://127.0.0.1:9002/v2/", "/", "http://127.0.0.1:9002/v2/")]
    [InlineData("http://127.0.0.1:9002/", "/health?deep=1", "http://127.0.0.1:9002/health?deep=1")]
    public void HealthUrl_HealthPath_IsAppendedToTheBackendUrlLikeAForwardedPath(string backend, string path, string expected) =>
        Assert.Equal(expected, CheckPolicy.HealthUrl(new Uri(backend), path).AbsoluteUri);

    [Theory]
    [InlineData("checks: { health: { legacy: healthz } }", "checks.health.legacy: 'healthz' is not a path; start it with '/' and leave out '#' and spaces (e.g. /healthz); it is appended to the backend's URL")]
    [InlineData("checks: { health: { candidate: '/health check' } }", "checks.health.candidate: '/health check' is not a path")]
    [InlineData("checks: { health: { legacy: [/a] } }", "checks.health.legacy: expected a single value, found a list")]
    [InlineData("checks: { health: { legacyy: /a } }", "checks.health.legacyy: unknown key; did you mean 'legacy'? Allowed keys here: legacy, candidate")]
    [InlineData("checks: { timeout: soon }", "checks.timeout: 'soon' is not a positive duration; use a number with a unit: ms, s, m or h")]
    [InlineData("checks: { timeout: 0s }", "checks.timeout: '0s' is not a positive duration")]
    [InlineData("checks: { timeout: 2m }", "checks.timeout: '2m' is longer than 1m, the longest a check may take")]
    [InlineData("checks: { helth: {} }", "checks.helth: unknown key; did you mean 'health'? Allowed keys here: health, timeout, http")]
    [InlineData("checks: [health]", "checks: expected a mapping of keys (health, timeout, http), found a list")]
    [InlineData("checks: { http: { name: db } }", "checks.http: expected a list of checks (each item starting with '- name: ...')")]
    [InlineData("checks: { http: [db] }", "checks.http.#1: expected a mapping of keys (name, url, expectStatus, timeout), found 'db'")]
    [InlineData("checks: { http: [{ name: db, url: nowhere }] }", "checks.http.db.url: 'nowhere' is not a check URL; use http:// or https:// with a host and optional port, path and query (e.g. http://127.0.0.1:9002/health/db)")]
    [InlineData("checks: { http: [{ name: db, url: 'ftp://db.internal/health' }] }", "checks.http.db.url: 'ftp://db.internal/health' is not a check URL")]
    [InlineData("checks: { http: [{ name: db, url: 'http://u:p@db.internal/health' }] }", "checks.http.db.url: 'http://u:p@db.internal/health' is not a check URL")]
    [InlineData("checks: { http: [{ name: db }] }", "checks.http.db.url: is missing; give the URL to GET (e.g. http://127.0.0.1:9002/health/db)")]
    [InlineData("checks: { http: [{ url: 'http://db.internal/' }] }", "checks.http.#1.name: is missing; every check needs a name: lower-case letters, digits and single dashes")]
    [InlineData("checks: { http: [{ name: Db_1, url: 'http://db.internal/' }] }", "checks.http.Db_1.name: 'Db_1' is not allowed; use lower-case letters, digits and single dashes, starting with a letter or digit, at most 63 characters (e.g. candidate-db)")]
    [InlineData("checks: { http: [{ name: health-legacy, url: 'http://db.internal/' }] }", "checks.http.health-legacy.name: 'health-legacy' is the name of a built-in check (health-legacy, health-candidate, rollback-path, metrics-flowing); give this one another name")]
    [InlineData("checks: { http: [{ name: db, url: 'http://db.internal/', expectStatus: 42 }] }", "checks.http.db.expectStatus: 42 is not an HTTP status code; use a whole number in 100..599 (e.g. 200), or leave it out to accept any 2xx")]
    [InlineData("checks: { http: [{ name: db, url: 'http://db.internal/', expectStatus: 200.5 }] }", "checks.http.db.expectStatus: 200.5 is not an HTTP status code")]
    [InlineData("checks: { http: [{ name: db, url: 'http://db.internal/', expectStatus: ok }] }", "checks.http.db.expectStatus: 'ok' is not a number; use an HTTP status code such as 200")]
    [InlineData("checks: { http: [{ name: db, url: 'http://db.internal/', timeout: never }] }", "checks.http.db.timeout: 'never' is not a positive duration")]
    [InlineData("checks: { http: [{ name: db, url: 'http://db.internal/', timout: 1s }] }", "checks.http.db.timout: unknown key; did you mean 'timeout'? Allowed keys here: name, url, expectStatus, timeout")]
    public void Load_BadChecksValue_NamesTheMigrationKeyValueAndWhatIsAllowed(string line, string expected)
    {
        var error = OneMigrationFile.SingleError(line);

        Assert.StartsWith("cutover.yaml:", error);
        Assert.Contains("migration 'orders': " + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ChecksErrors_CarryTheLineOfTheSectionOrOfTheCheck()
    {
        var errors = OneMigrationFile.Errors(OneMigrationFile.With("""
                checks:
                  health: { legacy: healthz }
                  http:
                    - name: db
                      url: http://127.0.0.1:9002/health/db
                    - name: db
                      url: nowhere
            """));

        Assert.Equal(
            [
                "cutover.yaml:7: migration 'orders': checks.health.legacy: 'healthz' is not a path; start it with '/' and leave out '#' and spaces (e.g. /healthz); it is appended to the backend's URL",
                "cutover.yaml:11: migration 'orders': checks.http.db.name: 'db' is used by more than one check of this migration; names must be unique",
                "cutover.yaml:11: migration 'orders': checks.http.db.url: 'nowhere' is not a check URL; use http:// or https:// with a host and optional port, path and query (e.g. http://127.0.0.1:9002/health/db)",
            ],
            errors);
    }

    [Fact]
    public void Load_ChecksOfAnotherMigration_MayReuseANameOfThisOne()
    {
        var definition = ConfigLoader.Load("""
            migrations:
              - name: orders
                match: { pathPrefix: /orders }
                legacy: http://127.0.0.1:9001
                candidate: http://127.0.0.1:9002
                checks: { http: [{ name: db, url: "http://127.0.0.1:9002/db" }] }
              - name: users
                match: { pathPrefix: /users }
                legacy: http://127.0.0.1:9003
                candidate: http://127.0.0.1:9004
                checks: { http: [{ name: db, url: "http://127.0.0.1:9004/db" }] }
            """, "c.yaml");

        Assert.All(definition.Migrations, m => Assert.Equal("db", Assert.Single(m.Checks.Http).Name));
    }
}
