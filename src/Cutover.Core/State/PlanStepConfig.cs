namespace Cutover.Core.State;

/// <summary>One step of a plan as written: its kind (<c>shadow</c>, <c>weight</c>, <c>pause</c>, <c>smoke</c>, <c>backfill</c>, <c>pointOfNoReturn</c>, <c>retire</c>) and the values given for it.</summary>
public sealed record PlanStepConfig
{
    /// <summary>The step's kind, the key of its list item.</summary>
    public string Kind { get; init; } = string.Empty;

    /// <summary>A shadow step's or timed pause's duration.</summary>
    public string? Duration { get; init; }

    /// <summary>A shadow step's fewest compared pairs.</summary>
    public double? MinRequests { get; init; }

    /// <summary>A weight step's percentage as written (the validator makes it a <c>Weight</c>).</summary>
    public double? Weight { get; init; }

    /// <summary>A smoke step's number of requests.</summary>
    public double? Requests { get; init; }

    /// <summary>A smoke step's path.</summary>
    public string? Path { get; init; }

    /// <summary>A smoke step's unary gRPC method (<c>SERVICE/METHOD</c>), called instead of a GET.</summary>
    public string? Grpc { get; init; }

    /// <summary>A backfill step's job file, as written (relative to the config file's folder).</summary>
    public string? File { get; init; }

    /// <summary>A backfill step's stored job, by name.</summary>
    public string? Job { get; init; }

    /// <summary>A backfill step's longest time without a checkpoint before the plan pauses.</summary>
    public string? StallAfter { get; init; }

    /// <summary>A backfill step's interval of catch-up passes after it is done, until the plan ends.</summary>
    public string? CatchUp { get; init; }

    /// <summary>A point of no return's note: what legacy no longer holds.</summary>
    public string? Note { get; init; }

    /// <summary>The step's own progress deadline, written beside its kind; null for the plan's.</summary>
    public string? ProgressDeadline { get; init; }

    /// <summary>The line of the step, for error messages.</summary>
    public int Line { get; init; }
}
