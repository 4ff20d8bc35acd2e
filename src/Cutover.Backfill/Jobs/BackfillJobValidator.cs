using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cutover.Backfill.Throttling;
using Cutover.Backfill.Transforms;
using Cutover.Core.Configuration;
using Cutover.Core.Values;

namespace Cutover.Backfill.Jobs;

/// <summary>
/// Checks a job file's values and builds the <see cref="BackfillJob"/>; reports every problem at
/// once, each with its line, what was found and how to fix it.
/// </summary>
internal static partial class BackfillJobValidator
{
    private const int MaxBatchSize = 1_000_000;
    private const int MaxRetries = 100;
    private const int MaxRanges = 1000;

    public static (BackfillJob? Job, IReadOnlyList<ConfigError> Errors) Validate(BackfillJobConfig config, string definition, IReadOnlyList<ConfigError> shapeErrors)
    {
        var errors = new List<ConfigError>(shapeErrors);
        void Error(int line, string key, string message) => errors.Add(new ConfigError(config.Source, line, null, key, message));

        var name = config.Name?.Text.Trim() ?? string.Empty;
        if (config.Name is null || name.Length == 0)
        {
            Error(config.Name?.Line ?? 0, "name", "is missing; name the job, e.g. 'name: customers' (lower-case letters, digits and '-'): status and resume find it by that name");
        }
        else if (!JobName().IsMatch(name))
        {
            Error(config.Name.Line, "name", $"'{name}' is not a job name; use lower-case letters, digits and '-', e.g. 'customers-v2'");
        }

        var source = Location(config.From, "source", Error);
        var target = Location(config.To, "target", Error);
        var sourceTable = config.From?.Table?.Text.Trim();
        var sourceQuery = config.From?.Query?.Text.Trim();
        if (config.From is { } from)
        {
            if (sourceTable is { Length: > 0 } && sourceQuery is { Length: > 0 })
            {
                Error(from.Query!.Line, "source.query", "is given with source.table; keep one: a table to copy, or a SELECT whose result is copied");
            }
            else if (sourceTable is not { Length: > 0 } && sourceQuery is not { Length: > 0 })
            {
                Error(from.Line, "source", "has neither table nor query; add 'table: NAME', or 'query: SELECT ...' to copy a query's result");
            }
            else if (sourceTable is { Length: > 0 } && !TableName().IsMatch(sourceTable))
            {
                Error(from.Table!.Line, "source.table", $"'{sourceTable}' is not a table name; use letters, digits and '_' (optionally SCHEMA.TABLE), or use source.query for anything else");
            }
        }

        var targetTable = config.To?.Table?.Text.Trim();
        if (config.To is { } to)
        {
            if (targetTable is not { Length: > 0 })
            {
                Error(to.Table?.Line ?? to.Line, "target.table", "is missing; name the table rows are written to, e.g. 'table: clients'");
            }
            else if (!TableName().IsMatch(targetTable))
            {
                Error(to.Table!.Line, "target.table", $"'{targetTable}' is not a table name; use letters, digits and '_' (optionally SCHEMA.TABLE)");
            }
        }

        var columns = Columns(config, Error);
        var key = Key(config.From, columns, Error);

        var batchSize = WholeNumber(config.BatchSize, "batchSize", 1, MaxBatchSize, BackfillJobFile.DefaultBatchSize, Error);
        var rateLimit = RateLimit(config.RateLimit, Error);
        var ranges = WholeNumber(config.Ranges, "ranges", 1, MaxRanges, 1, Error);
        var changeColumn = config.ChangeColumn?.Text.Trim();
        if (config.ChangeColumn is { } change && !ColumnName().IsMatch(changeColumn!))
        {
            Error(change.Line, "changeColumn", $"'{changeColumn}' is not a column name; name the source column that records when a row changed, e.g. updated_at");
        }

        var catchUp = CatchUp(config.CatchUp, config.ChangeColumn is not null, Error);
        var onError = Choice<RowErrorPolicy>(config.OnError, "onError", "stop (the default) or skip", Error);

        var retries = Retries(config.Retries, Error);
        var throttle = Throttle(config.Throttle, Error);
        var transform = config.Transform is { } written ? TransformLoader.Load(written, config.Folder, Error) : null;
        var keepNewer = KeepNewer(config.OnConflict, columns, key, Error);
        var deletes = Choice<DeletePolicy>(config.Deletes, "deletes", "report (the default: verify lists target rows the source no longer has) or apply (verify --repair deletes them)", Error);

        if (config.From is null)
        {
            Error(0, "source", "is missing; add e.g. 'source: { store: \"sqlite:legacy.db\", table: customers, key: [id] }'");
        }

        if (config.To is null)
        {
            Error(0, "target", "is missing; add e.g. 'target: { store: \"Host=127.0.0.1;Database=app;Username=app\", table: clients }'");
        }

        if (errors.Count > 0 || source is null || target is null || key is null)
        {
            return (null, [.. errors.OrderBy(e => e.Line)]);
        }

        return (new BackfillJob
        {
            Name = name,
            Definition = transform is { Path: var path } ? Absolute(definition, config.Transform!, path) : definition,
            Source = source,
            SourceTable = sourceTable is { Length: > 0 } ? sourceTable : null,
            SourceQuery = sourceQuery is { Length: > 0 } ? sourceQuery : null,
            Key = key.Select(k => k.Column).ToList(),
            KeyColumns = key.Select(k => k.Index).ToList(),
            Target = target,
            TargetTable = targetTable!,
            Columns = columns,
            BatchSize = batchSize,
            RateLimit = rateLimit,
            ChangeColumn = changeColumn,
            CatchUp = catchUp,
            OnError = onError,
            Retries = retries,
            Throttle = throttle,
            Transform = transform?.Transform,
            Deletes = deletes,
            KeepNewer = keepNewer,
            Ranges = ranges,
        }, []);
    }

    /// <summary>
    /// The definition with the transform's assembly named by its full path, so <c>resume</c> and
    /// <c>verify</c>, which read the stored definition without the file, find the same assembly.
    /// </summary>
    private static string Absolute(string definition, TransformConfig transform, string path) =>
        string.Concat(definition.AsSpan(0, transform.AssemblyStart), JsonSerializer.Serialize(path), definition.AsSpan(transform.AssemblyEnd));

    private static DatabaseLocation? Location(EndpointConfig? endpoint, string section, Action<int, string, string> error)
    {
        if (endpoint is null)
        {
            return null;
        }

        var text = endpoint.Store?.Text.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            error(endpoint.Store?.Line ?? endpoint.Line, section + ".store", $"is missing; {StoreLocation.AllowedForms}");
            return null;
        }

        if (StoreLocation.Classify(text) is { } kind)
        {
            return new DatabaseLocation(text, kind);
        }

        error(endpoint.Store!.Line, section + ".store", StoreLocation.Problem(StoreLocation.Redact(text)));
        return null;
    }

    private static List<ColumnMapping> Columns(BackfillJobConfig config, Action<int, string, string> error)
    {
        if (config.Columns is not { Count: > 0 } written)
        {
            error(config.ColumnsLine, "columns", "is missing or empty; map each target column to a source column or SQL expression, e.g. 'columns: { id: id, email: email }'");
            return [];
        }

        var columns = new List<ColumnMapping>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in written)
        {
            var key = "columns." + column.Target;
            if (!ColumnName().IsMatch(column.Target))
            {
                error(column.Line, key, $"'{column.Target}' is not a target column name; use letters, digits and '_'");
            }
            else if (!seen.Add(column.Target))
            {
                error(column.Line, key, "is mapped twice (column names ignore case); keep one");
            }
            else if (column.Expression?.Trim() is not { Length: > 0 } expression)
            {
                error(column.Line, key, "has no source; give a source column name or an SQL expression, e.g. 'email: email' or \"full_name: first_name || ' ' || last_name\"");
            }
            else
            {
                columns.Add(new ColumnMapping(column.Target, expression, ColumnName().IsMatch(expression)));
            }
        }

        return columns;
    }

    /// <summary>The key columns with the index of the column each is copied to; null when the key is unusable.</summary>
    private static List<(string Column, int Index)>? Key(EndpointConfig? source, List<ColumnMapping> columns, Action<int, string, string> error)
    {
        if (source is null)
        {
            return null;
        }

        if (source.Key is not { Count: > 0 } written)
        {
            error(source.Key is null ? source.Line : source.KeyLine, "source.key", "is missing; list the column(s) that identify a source row, e.g. 'key: [id]' or 'key: [tenant_id, id]'");
            return null;
        }

        var key = new List<(string Column, int Index)>();
        foreach (var column in written)
        {
            var name = column.Text.Trim();
            var index = columns.FindIndex(c => c.IsColumn && string.Equals(c.Expression, name, StringComparison.OrdinalIgnoreCase));
            if (!ColumnName().IsMatch(name))
            {
                error(column.Line, "source.key", $"'{name}' is not a column name; use letters, digits and '_'");
            }
            else if (key.Exists(k => string.Equals(k.Column, name, StringComparison.OrdinalIgnoreCase)))
            {
                error(column.Line, "source.key", $"'{name}' is listed twice; keep one");
            }
            else if (index < 0 && columns.Count > 0)
            {
                error(column.Line, "source.key", $"'{name}' is not copied to any target column; add e.g. '{name}: {name}' to columns: the upsert finds existing target rows by the key");
            }
            else
            {
                key.Add((name, index));
            }
        }

        return key.Count == written.Count ? key : null;
    }

    /// <summary>The target column named by <c>onConflict.keepNewer</c>, as <c>columns</c> spells it; null when absent or unusable (reported).</summary>
    private static string? KeepNewer(OnConflictConfig? config, List<ColumnMapping> columns, List<(string Column, int Index)>? key, Action<int, string, string> error)
    {
        if (config is null)
        {
            return null;
        }

        if (config.KeepNewer is not { } field)
        {
            error(config.Line, "onConflict", "sets nothing; add 'keepNewer: COLUMN' (the target column that grows with every change of a row, e.g. 'keepNewer: version'), or remove the section to overwrite target rows");
            return null;
        }

        var name = field.Text.Trim();
        var index = columns.FindIndex(c => string.Equals(c.Target, name, StringComparison.OrdinalIgnoreCase));
        if (!ColumnName().IsMatch(name))
        {
            error(field.Line, "onConflict.keepNewer", $"'{name}' is not a column name; name a target column of columns whose value grows with every change of a row, e.g. 'keepNewer: version'");
        }
        else if (index < 0)
        {
            var mapped = columns.Count == 0 ? string.Empty : $" (columns maps {string.Join(", ", columns.Select(c => c.Target))})";
            error(field.Line, "onConflict.keepNewer", $"'{name}' is not a target column of columns{mapped}; name the one that holds each row's version or change time, or map it, e.g. '{name}: updated_at' under columns");
        }
        else if (key?.Find(k => k.Index == index) is { Column: { } keyColumn })
        {
            error(field.Line, "onConflict.keepNewer", $"'{name}' is a key column (source.key '{keyColumn}' is copied to it), the same in both rows it would compare; name a column that grows with every change of a row, e.g. updated_at");
        }
        else
        {
            return columns[index].Target;
        }

        return null;
    }

    private static int WholeNumber(JobField? field, string key, int min, int max, int defaultValue, Action<int, string, string> error)
    {
        if (field is null)
        {
            return defaultValue;
        }

        if (int.TryParse(field.Text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        error(field.Line, key, $"'{field.Text}' is not a whole number between {min} and {max}; the default is {defaultValue}");
        return defaultValue;
    }

    /// <summary>The choice named by <paramref name="field"/> (any case), or the enum's default (its first member) when absent or not one.</summary>
    private static TChoice Choice<TChoice>(JobField? field, string key, string choices, Action<int, string, string> error)
        where TChoice : struct, Enum
    {
        if (field is null)
        {
            return default;
        }

        if (Enum.TryParse(field.Text.Trim(), ignoreCase: true, out TChoice value) && Enum.IsDefined(value))
        {
            return value;
        }

        error(field.Line, key, $"'{field.Text}' is not a choice; use {choices}");
        return default;
    }

    private static CatchUpSettings CatchUp(CatchUpConfig? config, bool hasChangeColumn, Action<int, string, string> error)
    {
        if (config is null)
        {
            return CatchUpSettings.Default;
        }

        if (!hasChangeColumn)
        {
            error(config.Line, "catchUp", "is set but the job has no changeColumn; catch-up copies the rows whose change column moved, so add e.g. 'changeColumn: updated_at'");
        }

        return new CatchUpSettings(
            WholeNumber(config.MaxLagRows, "catchUp.maxLagRows", 1, int.MaxValue, CatchUpSettings.Default.MaxLagRows, error),
            WholeNumber(config.MaxPasses, "catchUp.maxPasses", 1, 1000, CatchUpSettings.Default.MaxPasses, error))
        {
            Margin = config.Margin is { } margin ? CatchUpMargin(margin, error) : CatchUpSettings.DefaultMargin,
        };
    }

    private static TimeSpan CatchUpMargin(JobField field, Action<int, string, string> error)
    {
        if (Duration.TryParse(field.Text, out var parsed) && parsed >= TimeSpan.Zero && parsed <= CatchUpSettings.MaxMargin)
        {
            return parsed;
        }

        error(field.Line, "catchUp.margin", $"'{field.Text}' is not a duration between 0s and 1h; use {Duration.AllowedForms} (the default is 5s; 0s reads no row below the high-water mark, for a change column that grows on every write)");
        return CatchUpSettings.DefaultMargin;
    }

    private static RetryPolicy Retries(RetriesConfig? config, Action<int, string, string> error)
    {
        if (config is null)
        {
            return RetryPolicy.Default;
        }

        var attempts = WholeNumber(config.Attempts, "retries.attempts", 0, MaxRetries, RetryPolicy.Default.Attempts, error);
        var backoff = RetryPolicy.Default.Backoff;
        if (config.Backoff is { } field)
        {
            if (Duration.TryParse(field.Text, out var parsed) && parsed > TimeSpan.Zero && parsed <= RetryPolicy.MaxWait)
            {
                backoff = parsed;
            }
            else
            {
                error(field.Line, "retries.backoff", $"'{field.Text}' is not a wait between 1ms and 10s; use {Duration.AllowedForms} (the default is 1s, doubled before each next retry)");
            }
        }

        return new RetryPolicy(attempts, backoff);
    }

    private static ThrottleSettings? Throttle(ThrottleConfig? config, Action<int, string, string> error)
    {
        if (config is null)
        {
            return null;
        }

        var maxWriteLatency = config.MaxWriteLatency is { } latency ? Wait(latency, "throttle.maxWriteLatency", TimeSpan.FromHours(1), null, error) : null;
        var query = config.HealthQuery?.Text.Trim();
        double healthMax = 0;
        if (query is { Length: 0 })
        {
            error(config.HealthQuery!.Line, "throttle.healthQuery", "is empty; give a SELECT returning one number, e.g. \"SELECT count(*) FROM pg_stat_activity\", or remove the key");
        }

        if (config.HealthMax is { } max)
        {
            if (!double.TryParse(max.Text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out healthMax) || !double.IsFinite(healthMax))
            {
                error(max.Line, "throttle.healthMax", $"'{max.Text}' is not a number; give the highest healthy value the health query may return, e.g. 10");
            }
            else if (config.HealthQuery is null)
            {
                error(max.Line, "throttle.healthMax", "is set without throttle.healthQuery; add the query whose result it bounds, or remove it");
            }
        }
        else if (config.HealthQuery is not null)
        {
            error(config.HealthQuery.Line, "throttle.healthQuery", "has no throttle.healthMax; add the highest healthy value it may return, e.g. 'healthMax: 10'");
        }

        if (config.MaxWriteLatency is null && config.HealthQuery is null)
        {
            error(config.Line, "throttle", "watches nothing; add maxWriteLatency (e.g. 200ms), or healthQuery with healthMax");
        }

        var checkEvery = config.CheckEvery is { } every ? Wait(every, "throttle.checkEvery", TimeSpan.FromHours(1), ThrottleSettings.DefaultCheckEvery, error) : ThrottleSettings.DefaultCheckEvery;
        var backoff = config.Backoff is { } first ? Wait(first, "throttle.backoff", ThrottleSettings.MaxWait, ThrottleSettings.DefaultBackoff, error) : ThrottleSettings.DefaultBackoff;
        return new ThrottleSettings(maxWriteLatency, query is { Length: > 0 } ? query : null, healthMax, checkEvery ?? ThrottleSettings.DefaultCheckEvery, backoff ?? ThrottleSettings.DefaultBackoff);
    }

    /// <summary>A duration from 1ms to <paramref name="max"/>; a bad one is reported and <paramref name="fallback"/> returned.</summary>
    private static TimeSpan? Wait(JobField field, string key, TimeSpan max, TimeSpan? fallback, Action<int, string, string> error)
    {
        if (Duration.TryParse(field.Text, out var parsed) && parsed > TimeSpan.Zero && parsed <= max)
        {
            return parsed;
        }

        var most = max >= TimeSpan.FromHours(1) ? "1h" : $"{max.TotalSeconds:0}s";
        var defaultText = fallback is { } d ? $" (the default is {d.TotalSeconds:0}s)" : string.Empty;
        error(field.Line, key, $"'{field.Text}' is not a duration between 1ms and {most}; use {Duration.AllowedForms}{defaultText}");
        return fallback;
    }

    private static double RateLimit(JobField? field, Action<int, string, string> error)
    {
        if (field is null)
        {
            return 0;
        }

        if (double.TryParse(field.Text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0)
        {
            return value;
        }

        error(field.Line, "rateLimit", $"'{field.Text}' is not a rate; use rows per second (0 or more), where 0, the default, is unlimited");
        return 0;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex JobName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ColumnName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TableName();
}
