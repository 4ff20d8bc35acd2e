using Cutover.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Cutover.Backfill.Jobs;

/// <summary>
/// Turns job YAML into a <see cref="BackfillJobConfig"/>, reporting shape problems (syntax, unknown
/// keys, wrong types) with their lines, the way the config file's reader does.
/// </summary>
internal static class BackfillJobReader
{
    private static readonly string[] FileKeys = ["name", "source", "target", "columns", "batchSize", "rateLimit", "changeColumn", "catchUp", "onError", "retries", "throttle", "transform", "deletes", "ranges", "onConflict"];
    private static readonly string[] OnConflictKeys = ["keepNewer"];
    private static readonly string[] CatchUpKeys = ["maxLagRows", "maxPasses", "margin"];
    private static readonly string[] RetriesKeys = ["attempts", "backoff"];
    private static readonly string[] ThrottleKeys = ["maxWriteLatency", "healthQuery", "healthMax", "checkEvery", "backoff"];
    private static readonly string[] TransformKeys = ["assembly", "type"];
    private static readonly string[] SourceKeys = ["store", "table", "query", "key"];
    private static readonly string[] TargetKeys = ["store", "table"];

    /// <summary>The job as written, or null (with the reason) when the text is not a YAML document at all.</summary>
    public static (BackfillJobConfig? Config, IReadOnlyList<ConfigError> Errors) Parse(string yaml, string source, string folder)
    {
        var walker = new YamlConfigWalker(source);
        var (root, error) = YamlConfigWalker.Load(yaml, source, "the file is empty; a job needs name, source, target and columns");
        if (root is null)
        {
            return (null, [error!]);
        }

        var config = new BackfillJobConfig { Source = source, Folder = folder };
        foreach (var (key, value) in walker.Entries(root, null, string.Empty, FileKeys))
        {
            config = key switch
            {
                "name" => config with { Name = Field(walker, value, key) },
                "source" => config with { From = ReadEndpoint(walker, value, key, SourceKeys) },
                "target" => config with { To = ReadEndpoint(walker, value, key, TargetKeys) },
                "columns" => config with { ColumnsLine = Line(value), Columns = ReadColumns(walker, value) },
                "batchSize" => config with { BatchSize = Field(walker, value, key) },
                "rateLimit" => config with { RateLimit = Field(walker, value, key) },
                "changeColumn" => config with { ChangeColumn = Field(walker, value, key) },
                "catchUp" => config with { CatchUp = ReadCatchUp(walker, value) },
                "onError" => config with { OnError = Field(walker, value, key) },
                "deletes" => config with { Deletes = Field(walker, value, key) },
                "ranges" => config with { Ranges = Field(walker, value, key) },
                "onConflict" => config with { OnConflict = ReadOnConflict(walker, value) },
                "retries" => config with { Retries = ReadRetries(walker, value) },
                "throttle" => config with { Throttle = ReadThrottle(walker, value) },
                _ => config with { Transform = ReadTransform(walker, value) },
            };
        }

        return (config, walker.Errors);
    }

    private static EndpointConfig ReadEndpoint(YamlConfigWalker walker, YamlNode node, string section, IReadOnlyList<string> allowed)
    {
        var endpoint = new EndpointConfig(Line(node));
        foreach (var (key, value) in walker.Entries(node, null, section, allowed))
        {
            var fullKey = section + "." + key;
            endpoint = key switch
            {
                "store" => endpoint with { Store = Field(walker, value, fullKey) },
                "table" => endpoint with { Table = Field(walker, value, fullKey) },
                "query" => endpoint with { Query = Field(walker, value, fullKey) },
                _ => endpoint with { KeyLine = Line(value), Key = walker.LinedList(value, null, fullKey).ConvertAll(item => new JobField(item.Text, item.Line)) },
            };
        }

        return endpoint;
    }

    private static CatchUpConfig ReadCatchUp(YamlConfigWalker walker, YamlNode node)
    {
        var catchUp = new CatchUpConfig(Line(node));
        foreach (var (key, value) in walker.Entries(node, null, "catchUp", CatchUpKeys))
        {
            var field = Field(walker, value, "catchUp." + key);
            catchUp = key switch
            {
                "maxLagRows" => catchUp with { MaxLagRows = field },
                "maxPasses" => catchUp with { MaxPasses = field },
                _ => catchUp with { Margin = field },
            };
        }

        return catchUp;
    }

    // Null for a section the walker already refused (a plain value, an unknown key), so it is not also reported as setting nothing.
    private static OnConflictConfig? ReadOnConflict(YamlConfigWalker walker, YamlNode node)
    {
        var onConflict = new OnConflictConfig(Line(node));
        foreach (var (_, value) in walker.Entries(node, null, "onConflict", OnConflictKeys))
        {
            onConflict = onConflict with { KeepNewer = Field(walker, value, "onConflict.keepNewer") };
        }

        return onConflict.KeepNewer is null && node is not YamlMappingNode { Children.Count: 0 } ? null : onConflict;
    }

    private static RetriesConfig ReadRetries(YamlConfigWalker walker, YamlNode node)
    {
        var retries = new RetriesConfig(Line(node));
        foreach (var (key, value) in walker.Entries(node, null, "retries", RetriesKeys))
        {
            retries = key == "attempts"
                ? retries with { Attempts = Field(walker, value, "retries.attempts") }
                : retries with { Backoff = Field(walker, value, "retries.backoff") };
        }

        return retries;
    }

    private static ThrottleConfig ReadThrottle(YamlConfigWalker walker, YamlNode node)
    {
        var throttle = new ThrottleConfig(Line(node));
        foreach (var (key, value) in walker.Entries(node, null, "throttle", ThrottleKeys))
        {
            var field = Field(walker, value, "throttle." + key);
            throttle = key switch
            {
                "maxWriteLatency" => throttle with { MaxWriteLatency = field },
                "healthQuery" => throttle with { HealthQuery = field },
                "healthMax" => throttle with { HealthMax = field },
                "checkEvery" => throttle with { CheckEvery = field },
                _ => throttle with { Backoff = field },
            };
        }

        return throttle;
    }

    private static TransformConfig ReadTransform(YamlConfigWalker walker, YamlNode node)
    {
        var transform = new TransformConfig(Line(node));
        foreach (var (key, value) in walker.Entries(node, null, "transform", TransformKeys))
        {
            transform = key == "assembly"
                ? transform with { Assembly = Field(walker, value, "transform.assembly"), AssemblyStart = (int)value.Start.Index, AssemblyEnd = (int)value.End.Index }
                : transform with { Type = Field(walker, value, "transform.type") };
        }

        return transform;
    }

    private static List<ColumnConfig> ReadColumns(YamlConfigWalker walker, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            walker.Error(node, null, "columns", "expected a mapping of TARGET_COLUMN: SOURCE_COLUMN_OR_SQL_EXPRESSION, e.g. { id: id, full_name: \"first_name || ' ' || last_name\" }");
            return [];
        }

        var columns = new List<ColumnConfig>();
        foreach (var (keyNode, value) in map.Children)
        {
            var target = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            columns.Add(new ColumnConfig(target, walker.Scalar(value, null, "columns." + target), Line(keyNode)));
        }

        return columns;
    }

    private static JobField? Field(YamlConfigWalker walker, YamlNode node, string key) =>
        walker.Scalar(node, null, key) is { } text ? new JobField(text, Line(node)) : null;

    private static int Line(YamlNode node) => (int)node.Start.Line;
}
