using System.Net;
using Cutover.Core.Configuration;
using Cutover.Core.Routing;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Configuration;

/// <summary>
/// <c>sideHeader</c> and <c>override</c>: the keys, the secret read from the environment and never
/// kept, and the refusal of an override anyone could use.
/// </summary>
public sealed class OverrideConfigTests
{
    private const string Secret = "0123456789abcdef0123";

    [Fact]
    public void Load_EveryKey_BuildsTheOverrideAndTheSideHeader()
    {
        using var variable = new SecretVariable(Secret);

        var orders = Load($"""
                sideHeader: true
                override:
                  header: Cutover-Route
                  cookie: cutover-route
                  networks: [10.0.0.0/8, "fd00::/8"]
                  secret: env:{variable.Name}
            """);

        Assert.True(orders.SideHeader);
        var routeOverride = Assert.IsType<RouteOverride>(orders.Override);
        Assert.Equal("Cutover-Route", routeOverride.Header);
        Assert.Equal("cutover-route", routeOverride.Cookie);
        Assert.Equal([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("fd00::/8")], routeOverride.Networks);
        Assert.True(routeOverride.RequiresSecret);
        Assert.True(routeOverride.SecretMatches(Secret));
    }

    [Fact]
    public void Load_NoKeys_HasNoOverrideAndNoSideHeader()
    {
        var orders = Load(string.Empty);

        Assert.False(orders.SideHeader);
        Assert.Null(orders.Override);
    }

    [Fact]
    public void Load_OpenOverrideOnALoopbackListener_IsAllowed()
    {
        var routeOverride = Load("    override: { header: Cutover-Route }").Override!;

        Assert.False(routeOverride.IsLimited);
        Assert.Empty(routeOverride.Networks);
        Assert.False(routeOverride.RequiresSecret);
    }

    [Theory]
    [InlineData("listen: http://0.0.0.0:8080", "'http://0.0.0.0:8080/'")]
    [InlineData("listen: http://orders.internal:8080", "'http://orders.internal:8080/'")]
    [InlineData("trustedProxies: [127.0.0.1]", "'http://127.0.0.1:8080/' behind trustedProxies")]
    public void Load_OpenOverrideReachableFromOtherMachines_IsRefusedNamingTheFix(string topLevel, string reach)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(File(topLevel, "    override: { header: Cutover-Route }"), "cutover.yaml"));

        Assert.Equal(
            $"cutover.yaml:7: migration 'orders': override: lets anyone who reaches {reach} choose the side of a request; limit it with networks: [the testers' networks, e.g. 10.0.0.0/8] and/or secret: env:NAME (an environment variable holding at least 16 random characters)",
            Assert.Single(exception.Errors).ToString());
    }

    [Fact]
    public void Load_LimitedOverrideReachableFromOtherMachines_IsAllowed()
    {
        using var variable = new SecretVariable(Secret);

        var byNetwork = ConfigLoader.Load(File("listen: http://0.0.0.0:8080", "    override: { header: Cutover-Route, networks: [10.0.0.0/8] }"), "cutover.yaml");
        var bySecret = ConfigLoader.Load(File("listen: http://0.0.0.0:8080", $"    override: {{ cookie: cutover-route, secret: 'env:{variable.Name}' }}"), "cutover.yaml");

        Assert.True(byNetwork.Migrations[0].Override!.IsLimited);
        Assert.True(bySecret.Migrations[0].Override!.IsLimited);
    }

    [Theory]
    [InlineData("override: {}", "override: names neither a header nor a cookie, so no request could use it; add header: Cutover-Route and/or cookie: cutover-route, or remove the section")]
    [InlineData("override: { header: 'Cutover Route' }", "override.header: 'Cutover Route' is not a header name; use letters, digits and dashes, such as Cutover-Route")]
    [InlineData("override: { header: cutover-route-secret }", "override.header: 'cutover-route-secret' is the header that carries the secret; name another, such as Cutover-Route")]
    [InlineData("override: { cookie: 'a;b' }", "override.cookie: 'a;b' is not a cookie name; use letters, digits, dashes and underscores, such as cutover-route")]
    [InlineData("override: { header: Cutover-Route, networks: [] }", "override.networks: lists no networks, so no client could use the override; list the testers' networks (e.g. [10.0.0.0/8]), or remove the key")]
    [InlineData("override: { header: Cutover-Route, networks: [testers.internal] }", "override.networks: 'testers.internal' is not an IP address or network; write an IP address (127.0.0.1, ::1) or a CIDR network (10.0.0.0/8, fd00::/8); host names are not allowed")]
    [InlineData("override: { header: Cutover-Route, secret: hunter2hunter2hunter2 }", "override.secret: must name an environment variable as env:NAME (e.g. env:CUTOVER_ROUTE_SECRET), not hold the secret itself: a secret written in the file is read by everyone who can read the file")]
    [InlineData("override: { header: Cutover-Route, secret: 'env:' }", "override.secret: must name an environment variable as env:NAME")]
    [InlineData("override: { header: Cutover-Route, secret: 'env:CUTOVER_TEST_NEVER_SET_5F0E' }", "override.secret: names the environment variable CUTOVER_TEST_NEVER_SET_5F0E, which is not set; set it to at least 16 random characters (e.g. openssl rand -hex 16) before Cutover starts")]
    [InlineData("override: { header: Cutover-Route, sekret: x }", "override.sekret: unknown key; did you mean 'secret'? Allowed keys here: header, cookie, networks, secret")]
    [InlineData("sideHeader: sometimes", "sideHeader: 'sometimes' is not true or false")]
    public void Load_BadOverride_NamesTheKeyAndTheFix(string line, string expected)
    {
        var error = OneMigrationFile.SingleError(line);

        Assert.StartsWith("cutover.yaml:6: ", error, StringComparison.Ordinal);
        Assert.Contains("migration 'orders': " + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShortSecret_IsRefusedWithItsLengthButNotItsValue()
    {
        using var variable = new SecretVariable("short-secret");

        var error = OneMigrationFile.SingleError($"override: {{ header: Cutover-Route, secret: 'env:{variable.Name}' }}");

        Assert.EndsWith($"override.secret: the value of {variable.Name} is 12 characters long; use 16 to 1024 random characters (e.g. openssl rand -hex 16)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CodeMigration_RefusesTheProxysKeys()
    {
        var errors = OneMigrationFile.Errors("""
            migrations:
              - name: tax
                kind: code
                sideHeader: true
                override: { header: Cutover-Route }
            """);

        Assert.Equal(
        [
            "cutover.yaml:2: migration 'tax': sideHeader: is not allowed: a code-level migration (kind: code) runs both sides inside the application through Cutover.Client, so the proxy has nothing to route; remove it: no answer passes through the proxy to carry the header",
            "cutover.yaml:2: migration 'tax': override: is not allowed: a code-level migration (kind: code) runs both sides inside the application through Cutover.Client, so the proxy has nothing to route; remove it: the application chooses the side of each call",
        ],
            errors);
    }

    [Theory]
    [InlineData(Secret, true)]
    [InlineData(Secret + "x", false)]
    [InlineData("0123456789ABCDEF0123", false)]
    [InlineData("", false)]
    public void SecretMatches_TheSecretAlone_Matches(string given, bool expected)
    {
        var routeOverride = new RouteOverride("Cutover-Route", null, [], Secret);

        Assert.Equal(expected, routeOverride.SecretMatches(given));
        Assert.False(routeOverride.SecretMatches(new string('x', RouteOverride.MaxSecretLength + 1)));
    }

    [Fact]
    public void RouteOverride_ShownOrCompared_NeverShowsTheSecretButSeesItChange()
    {
        var one = new RouteOverride("Cutover-Route", "cutover-route", [IPNetwork.Parse("10.0.0.0/8")], Secret);
        var same = new RouteOverride("Cutover-Route", "cutover-route", [IPNetwork.Parse("10.0.0.0/8")], Secret);
        var other = new RouteOverride("Cutover-Route", "cutover-route", [IPNetwork.Parse("10.0.0.0/8")], Secret + "-rotated");

        Assert.Equal("header Cutover-Route and cookie cutover-route, from 10.0.0.0/8, with the secret", one.ToString());
        Assert.DoesNotContain(Secret, CanonicalText.Of(one), StringComparison.Ordinal);
        Assert.Equal(one, same);
        Assert.NotEqual(one, other);
    }

    [Fact]
    public void FixedFields_SecretRotated_NamesOverrideWithoutValues()
    {
        using var before = new SecretVariable(Secret);
        using var after = new SecretVariable(Secret + "-rotated");
        var running = ConfigLoader.Load(File(string.Empty, $"    override: {{ header: Cutover-Route, secret: 'env:{before.Name}' }}"), "cutover.yaml");
        var file = ConfigLoader.Load(File(string.Empty, $"    override: {{ header: Cutover-Route, secret: 'env:{after.Name}' }}"), "cutover.yaml");

        Assert.Equal(["override"], DefinitionDifferences.FixedFields(running.Migrations[0], file.Migrations[0]));
    }

    [Theory]
    [InlineData("candidate", true, Side.Candidate)]
    [InlineData(" Legacy ", true, Side.Legacy)]
    [InlineData("CANDIDATE", true, Side.Candidate)]
    [InlineData("banana", false, Side.Legacy)]
    [InlineData("", false, Side.Legacy)]
    [InlineData("legacy,candidate", false, Side.Legacy)]
    public void TryParseSide_OnlyTheTwoSides_AreRead(string value, bool read, Side expected)
    {
        Assert.Equal(read, RouteOverride.TryParseSide(value, out var side));
        Assert.Equal(expected, side);
    }

    private static MigrationDefinition Load(string extra) => Assert.Single(ConfigLoader.Load(OneMigrationFile.With(extra), "cutover.yaml").Migrations);

    /// <summary>A file with <paramref name="topLevel"/> on line 1 and one migration 'orders' on lines 3-6, then <paramref name="extra"/> from line 7.</summary>
    private static string File(string topLevel, string extra) => $"""
        {topLevel}
        migrations:
          - name: orders
            match: {"{"} pathPrefix: /orders {"}"}
            legacy: http://127.0.0.1:9001
            candidate: http://127.0.0.1:9002
        {extra}
        """;

    /// <summary>An environment variable of this test's own holding a secret, removed when disposed.</summary>
    private sealed class SecretVariable : IDisposable
    {
        public SecretVariable(string value)
        {
            Name = "CUTOVER_TEST_ROUTE_SECRET_" + Guid.NewGuid().ToString("N");
            Environment.SetEnvironmentVariable(Name, value);
        }

        public string Name { get; }

        public void Dispose() => Environment.SetEnvironmentVariable(Name, null);
    }
}
