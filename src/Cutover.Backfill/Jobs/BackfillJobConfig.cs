namespace Cutover.Backfill.Jobs;

/// <summary>A job file as written: text values with their lines, checked by <see cref="BackfillJobValidator"/>.</summary>
internal sealed record BackfillJobConfig
{
    public string Source { get; init; } = string.Empty;

    public JobField? Name { get; init; }

    public EndpointConfig? From { get; init; }

    public EndpointConfig? To { get; init; }

    public int ColumnsLine { get; init; }

    public List<ColumnConfig>? Columns { get; init; }

    public JobField? BatchSize { get; init; }

    public JobField? RateLimit { get; init; }

    public JobField? ChangeColumn { get; init; }

    public JobField? OnError { get; init; }

    public JobField? Deletes { get; init; }

    public OnConflictConfig? OnConflict { get; init; }

    public JobField? Ranges { get; init; }

    public CatchUpConfig? CatchUp { get; init; }

    public RetriesConfig? Retries { get; init; }

    public ThrottleConfig? Throttle { get; init; }

    public TransformConfig? Transform { get; init; }

    /// <summary>The folder a relative <c>transform.assembly</c> is found from: the job file's.</summary>
    public string Folder { get; init; } = string.Empty;
}
