using System.Globalization;
using Cutover.Core.State;
using YamlDotNet.RepresentationModel;

namespace Cutover.Core.Configuration;

/// <summary>
/// A plan as written (<see cref="PlanConfig"/>, the form the store keeps an applied plan in) back
/// into the YAML the config reader takes, key for key, so a plan applied at run time can be
/// written into a file again (<see cref="ConfigExport"/>).
/// </summary>
internal static class PlanYaml
{
    /// <summary>The plan's <c>plan:</c> mapping.</summary>
    public static YamlMappingNode Node(PlanConfig plan)
    {
        var node = new YamlMappingNode { { "steps", new YamlSequenceNode(plan.Steps.Select(Step)) } };
        if (plan.Gates.Count > 0)
        {
            node.Add("gates", Texts(plan.Gates));
        }

        if (plan.Triggers is { } triggers)
        {
            node.Add("triggers", Texts(triggers));
        }

        Add(node, "minSamples", plan.MinSamples);
        Add(node, "inconclusiveAfter", plan.InconclusiveAfter);
        Add(node, "drainTimeout", plan.DrainTimeout);
        if (plan.Window is { } window)
        {
            var written = new YamlMappingNode();
            if (window.Days is { } days)
            {
                written.Add("days", Texts(days));
            }

            Add(written, "hours", window.Hours);
            Add(written, "timeZone", window.TimeZone);
            node.Add("window", written);
        }

        Add(node, "progressDeadline", plan.ProgressDeadline);
        return node;
    }

    private static YamlMappingNode Step(PlanStepConfig step)
    {
        var node = step.Kind == "weight" ? new YamlMappingNode { { "weight", Number(step.Weight ?? 0) } } : new YamlMappingNode { { step.Kind, Values(step) } };
        Add(node, "progressDeadline", step.ProgressDeadline);
        return node;
    }

    private static YamlMappingNode Values(PlanStepConfig step)
    {
        var values = new YamlMappingNode();
        Add(values, "duration", step.Duration);
        Add(values, "minRequests", step.MinRequests);
        Add(values, "requests", step.Requests);
        Add(values, "path", step.Path);
        Add(values, "grpc", step.Grpc);
        Add(values, "file", step.File);
        Add(values, "job", step.Job);
        Add(values, "stallAfter", step.StallAfter);
        Add(values, "catchUp", step.CatchUp);
        Add(values, "note", step.Note);
        return values;
    }

    private static YamlSequenceNode Texts(IEnumerable<string> texts) => new(texts.Select(t => new YamlScalarNode(t) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted }));

    private static void Add(YamlMappingNode node, string key, string? value)
    {
        if (value is not null)
        {
            node.Add(key, new YamlScalarNode(value) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted });
        }
    }

    private static void Add(YamlMappingNode node, string key, double? value)
    {
        if (value is { } number)
        {
            node.Add(key, Number(number));
        }
    }

    private static YamlScalarNode Number(double value) => new(value.ToString("R", CultureInfo.InvariantCulture));
}
