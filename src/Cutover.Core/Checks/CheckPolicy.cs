namespace Cutover.Core.Checks;

/// <summary>
/// A migration's validated <c>checks</c> section: what the pre-migration checks ask of it. Every
/// migration has one; without the section the health checks GET "/" on each backend.
/// </summary>
/// <param name="LegacyHealthPath">The path GET on the legacy backend (appended to its base URL), which must answer 2xx.</param>
/// <param name="CandidateHealthPath">The same on the candidate backend.</param>
/// <param name="Timeout">How long each built-in check may take, and the default of a custom one.</param>
/// <param name="Http">The custom checks, in config order.</param>
public sealed record CheckPolicy(string LegacyHealthPath, string CandidateHealthPath, TimeSpan Timeout, IReadOnlyList<HttpCheck> Http)
{
    /// <summary>
    /// The health path when none is configured: "/", the one path every backend has, so the default
    /// assumes nothing about the application; a backend whose root does not answer 2xx needs its
    /// health path configured, and the failed check says so.
    /// </summary>
    public const string DefaultHealthPath = "/";

    /// <summary>How long a check may take when the config says nothing.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest timeout allowed: checks run while someone waits at <c>cutover check</c> or for a
    /// plan to start, and a health endpoint that needs longer is a finding in itself.
    /// </summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The policy of a migration without a <c>checks</c> section.</summary>
    public static CheckPolicy Default { get; } = new(DefaultHealthPath, DefaultHealthPath, DefaultTimeout, []);

    /// <summary>
    /// A health path on a backend, joined the way a forwarded request's path is (the backend URL's
    /// own path kept in front): <c>http://h:9002/v2</c> and <c>/healthz</c> give <c>http://h:9002/v2/healthz</c>.
    /// </summary>
    public static Uri HealthUrl(Uri backend, string path)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(path);
        return new Uri(backend.AbsoluteUri.TrimEnd('/') + path);
    }
}
