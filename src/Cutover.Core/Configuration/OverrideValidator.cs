using Cutover.Core.Routing;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a migration's <c>override</c> section and builds its <see cref="RouteOverride"/>. The
/// secret is read from the environment (<c>env:NAME</c>) and never written in the file, so the
/// file can be shared and kept in version control; whether an override is open to the world
/// depends on the listener, which only <see cref="ConfigValidator"/> knows.
/// </summary>
internal static class OverrideValidator
{
    /// <summary>The shortest secret accepted: one a tester cannot guess and the world cannot try through.</summary>
    public const int MinSecretLength = 16;

    private const string EnvPrefix = "env:";

    /// <summary>Validates <paramref name="config"/>; <paramref name="fail"/> gets (line, key, message). Null when anything failed.</summary>
    public static RouteOverride? Validate(OverrideConfig config, Action<int, string, string> fail)
    {
        var failures = 0;
        void Fail(int line, string key, string message)
        {
            failures++;
            fail(line, key, message);
        }

        var line = config.Line;
        if (config.Header is null && config.Cookie is null)
        {
            Fail(line, "override", "names neither a header nor a cookie, so no request could use it; add header: Cutover-Route and/or cookie: cutover-route, or remove the section");
        }

        if (config.Header is { } header && !IsToken(header))
        {
            Fail(line, "override.header", $"'{header}' is not a header name; use letters, digits and dashes, such as Cutover-Route");
        }
        else if (string.Equals(config.Header, RouteOverride.SecretHeader, StringComparison.OrdinalIgnoreCase))
        {
            Fail(line, "override.header", $"'{config.Header}' is the header that carries the secret; name another, such as Cutover-Route");
        }

        if (config.Cookie is { } cookie && !IsToken(cookie))
        {
            Fail(line, "override.cookie", $"'{cookie}' is not a cookie name; use letters, digits, dashes and underscores, such as cutover-route");
        }

        var networks = TrustedProxiesValidator.Validate(config.Networks ?? [], (at, message) => Fail(at, "override.networks", message));
        if (config.Networks is { Count: 0 })
        {
            Fail(line, "override.networks", "lists no networks, so no client could use the override; list the testers' networks (e.g. [10.0.0.0/8]), or remove the key");
        }

        var secret = config.Secret is { } written ? Secret(written, message => Fail(line, "override.secret", message)) : null;
        return failures > 0 ? null : new RouteOverride(config.Header?.Trim(), config.Cookie?.Trim(), networks, secret);
    }

    /// <summary>The problem of an override open to anyone who reaches <paramref name="listen"/>, or null when it is limited or only this machine can reach it.</summary>
    public static string? Exposure(RouteOverride routeOverride, Uri listen, bool behindProxies)
    {
        if (routeOverride.IsLimited || (Security.LoopbackAddress.Is(listen) && !behindProxies))
        {
            return null;
        }

        var reach = behindProxies ? $"'{listen}' behind trustedProxies" : $"'{listen}'";
        return $"lets anyone who reaches {reach} choose the side of a request; limit it with networks: [the testers' networks, e.g. 10.0.0.0/8] and/or secret: env:NAME (an environment variable holding at least {MinSecretLength} random characters)";
    }

    private static string? Secret(string written, Action<string> fail)
    {
        var text = written.Trim();
        if (!text.StartsWith(EnvPrefix, StringComparison.Ordinal) || text.Length == EnvPrefix.Length)
        {
            fail($"must name an environment variable as env:NAME (e.g. env:CUTOVER_ROUTE_SECRET), not hold the secret itself: a secret written in the file is read by everyone who can read the file");
            return null;
        }

        var name = text[EnvPrefix.Length..];
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(value))
        {
            fail($"names the environment variable {name}, which is not set; set it to at least {MinSecretLength} random characters (e.g. openssl rand -hex 16) before Cutover starts");
            return null;
        }

        if (value.Length < MinSecretLength || value.Length > RouteOverride.MaxSecretLength)
        {
            fail($"the value of {name} is {value.Length} characters long; use {MinSecretLength} to {RouteOverride.MaxSecretLength} random characters (e.g. openssl rand -hex 16)");
            return null;
        }

        return value;
    }

    // RFC 9110's token, which header and cookie names are.
    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
