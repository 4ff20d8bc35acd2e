using System.Collections;
using System.Globalization;
using System.Reflection;
using Cutover.Core.Analysis;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Core.Values;

namespace Cutover.Core.Configuration;

/// <summary>
/// What differs between the definition a process runs and a config file's, sorted the way
/// <c>cutover apply</c> needs it: the fields it changes at run time (mode, weight, plan) and the
/// fixed ones that only a restart changes. Fields are found by reflection over the definition
/// records and compared by <see cref="CanonicalText"/> (or by their own value equality, for a
/// class that defines one), so a property added to
/// <see cref="MigrationDefinition"/> or <see cref="CutoverDefinition"/> later is compared, as a
/// fixed field, with no change here; making it applicable at run time is one entry in <see cref="LiveFields"/>.
/// </summary>
public static class DefinitionDifferences
{
    /// <summary>
    /// The properties of <see cref="MigrationDefinition"/> that <c>cutover apply</c> changes while
    /// Cutover runs, or that name the migration; every other property is fixed until a restart.
    /// </summary>
    public static IReadOnlySet<string> LiveFields { get; } = new HashSet<string>(
        [nameof(MigrationDefinition.Name), nameof(MigrationDefinition.InitialMode), nameof(MigrationDefinition.InitialWeight), nameof(MigrationDefinition.Plan)],
        StringComparer.Ordinal);

    // Migrations are compared one by one, the source is only the file's name, and the text is what the rest was read from.
    private static readonly string[] NotSettings = [nameof(CutoverDefinition.Migrations), nameof(CutoverDefinition.Source), nameof(CutoverDefinition.Text)];

    // The others may hold credentials: the store's connection string, webhook URLs and headers.
    private static readonly string[] ShownSettings = [nameof(CutoverDefinition.Listen), nameof(CutoverDefinition.Admin), nameof(CutoverDefinition.ListenProtocol), nameof(CutoverDefinition.AdminProtocol), nameof(CutoverDefinition.Fallback), nameof(CutoverDefinition.TrustedProxies)];

    // Properties whose config key is not their name in camelCase.
    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        [nameof(MigrationDefinition.InitialMode)] = "mode",
        [nameof(MigrationDefinition.InitialWeight)] = "weight",
        [nameof(MigrationDefinition.LegacyTimeout)] = "timeouts.legacy",
        [nameof(MigrationDefinition.CandidateTimeout)] = "timeouts.candidate",
        [nameof(CutoverDefinition.Webhooks)] = "notifications.webhooks",
        [nameof(MigrationDefinition.Backends)] = "legacy/candidate (protocol, tls)",
        [nameof(CutoverDefinition.FallbackBackend)] = "fallback (protocol, tls)",
    };

    /// <summary>The config keys of the fixed fields whose values differ, in the order the definition declares them.</summary>
    public static IReadOnlyList<string> FixedFields(MigrationDefinition running, MigrationDefinition file) =>
        [.. Differing(running, file).Where(p => !LiveFields.Contains(p.Name)).Select(p => KeyOf(p.Name))];

    /// <summary>The file-level settings (listen, admin, their protocols, store, fallback, trustedProxies, notifications) whose values differ; values that may hold credentials are not shown.</summary>
    public static IReadOnlyList<FieldChange> Settings(CutoverDefinition running, CutoverDefinition file) =>
    [
        .. Differing(running, file)
            .Where(p => !NotSettings.Contains(p.Name))
            .Select(p => ShownSettings.Contains(p.Name)
                ? new FieldChange(KeyOf(p.Name), Readable(p.GetValue(running)), Readable(p.GetValue(file)))
                : new FieldChange(KeyOf(p.Name), null, null)),
    ];

    /// <summary>
    /// How two plans differ: nothing when they are the same plan; one "plan" change when one side
    /// has none; otherwise each part that differs ("plan.steps", "plan.gates", …).
    /// </summary>
    public static IReadOnlyList<FieldChange> Plan(RolloutPlan? running, RolloutPlan? file)
    {
        if (running is null || file is null)
        {
            return running is null && file is null ? [] : [new FieldChange("plan", Summary(running), Summary(file))];
        }

        return [.. Differing(running, file).Select(p => new FieldChange("plan." + KeyOf(p.Name), Readable(p.GetValue(running)), Readable(p.GetValue(file))))];
    }

    /// <summary>A plan in one line: its steps, and its gates when it has some; "none" for no plan.</summary>
    public static string Summary(RolloutPlan? plan) => plan is null
        ? "none"
        : Readable(plan.Steps) + (plan.Gates.Count > 0 ? $"; gates: {Readable(plan.Gates)}" : string.Empty);

    private static IEnumerable<PropertyInfo> Differing<T>(T running, T file) =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && !Same(p.GetValue(running), p.GetValue(file)));

    /// <summary>
    /// Whether two values of a field are the same: by their own <c>Equals</c> when their class
    /// defines value equality (as <see cref="Kernel.Metrics.ErrorPolicy"/> does over state it keeps
    /// private), otherwise by <see cref="CanonicalText"/>, since a record's <c>Equals</c> compares its lists by reference.
    /// </summary>
    private static bool Same(object? running, object? file)
    {
        if (running is null || file is null || running.GetType() != file.GetType())
        {
            return running is null && file is null;
        }

        var type = running.GetType();
        var definesEquality = type.IsClass && type.GetInterfaces().Contains(typeof(IEquatable<>).MakeGenericType(type))
            && type.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is null;
        return definesEquality ? running.Equals(file) : CanonicalText.Of(running) == CanonicalText.Of(file);
    }

    private static string KeyOf(string property) =>
        Keys.TryGetValue(property, out var key) ? key : char.ToLowerInvariant(property[0]) + property[1..];

    private static string Readable(object? value) => value switch
    {
        null => "none",
        string or Uri => value.ToString()!,
        ListenerProtocol protocol => protocol == ListenerProtocol.H2c ? "h2c" : "http1",
        PlanStep step => step.Describe(),
        PlanWindow window => window.Describe(),
        Condition condition => condition.Text,
        TimeSpan duration => Duration.Format(duration),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => items.Cast<object?>().Select(Readable).ToList() is { Count: > 0 } texts ? string.Join(", ", texts) : "none",
        _ => CanonicalText.Of(value),
    };
}
