using Cutover.Core.Routing;

namespace Cutover.Core.Configuration;

/// <summary>
/// The backends whose certificates Cutover does not check (<c>tls.insecureSkipVerify: true</c>),
/// named the same way for the warning <c>serve</c> logs at start and the one <c>cutover validate</c> prints.
/// </summary>
public static class InsecureBackends
{
    /// <summary>The consequence, said once after the backends' names.</summary>
    public const string Risk = "anyone on the network path can pose as it and read or change its traffic; give its CA as tls.ca instead";

    /// <summary>Each unchecked backend as "migration 'orders' candidate (https://…)" or "fallback (https://…)", in file order.</summary>
    public static IReadOnlyList<string> Of(CutoverDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var names = new List<string>();
        foreach (var migration in definition.Migrations)
        {
            Add(names, $"migration '{migration.Name}' legacy", migration.Legacy, migration.Backends.Legacy);
            Add(names, $"migration '{migration.Name}' candidate", migration.Candidate, migration.Backends.Candidate);
        }

        if (definition.Fallback is { } fallback)
        {
            Add(names, "fallback", fallback, definition.FallbackBackend);
        }

        return names;
    }

    private static void Add(List<string> names, string what, Uri url, BackendSettings settings)
    {
        if (settings.Tls?.InsecureSkipVerify == true)
        {
            names.Add($"{what} ({url})");
        }
    }
}
