using System.Globalization;
using Cutover.Core.State;
using Cutover.Kernel.Routing;
using YamlDotNet.RepresentationModel;

namespace Cutover.Core.Configuration;

/// <summary>
/// <c>cutover export</c>: the config file a running Cutover was started with, kept to the
/// migrations asked for, each with the mode, weight and plan it runs with now instead of the
/// file's. Every other field is the file's own, so the running Cutover takes the result with
/// <c>cutover apply -f</c>, which puts those migrations' mode, weight and plan back: a backup of
/// the run-time state in the one form that restores it. Comments and layout are not kept.
/// </summary>
public static class ConfigExport
{
    /// <summary>
    /// Writes <paramref name="text"/>, the config as the running Cutover read it, with only the
    /// migrations of <paramref name="states"/>, each set to its state; a migration whose plan was
    /// applied at run time gets that plan (or loses its <c>plan</c> when the applied file had none).
    /// </summary>
    public static string Write(string text, IReadOnlyList<MigrationState> states)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var migrations = (YamlSequenceNode)root.Children[new YamlScalarNode("migrations")];
        var kept = new List<YamlNode>();
        foreach (var migration in migrations.Children.OfType<YamlMappingNode>())
        {
            if (migration.Children.TryGetValue(new YamlScalarNode("name"), out var name) && states.FirstOrDefault(s => s.Name == ((YamlScalarNode)name).Value) is { } state)
            {
                migration.Children[new YamlScalarNode("mode")] = new YamlScalarNode(state.Mode.ToWire());
                migration.Children[new YamlScalarNode("weight")] = new YamlScalarNode(state.Weight.Percent.ToString("R", CultureInfo.InvariantCulture));
                if (state.Plan is { Config: null })
                {
                    migration.Children.Remove(new YamlScalarNode("plan"));
                }
                else if (state.Plan?.Config is { } plan)
                {
                    migration.Children[new YamlScalarNode("plan")] = PlanYaml.Node(plan);
                }

                kept.Add(migration);
            }
        }

        migrations.Children.Clear();
        kept.ForEach(migrations.Children.Add);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        // YamlDotNet ends the document with "...", which a file written by hand never has.
        var written = writer.ToString();
        return written.EndsWith("...\n", StringComparison.Ordinal) ? written[..^4] : written;
    }
}
