namespace Cutover.Kernel.Metrics;

/// <summary>
/// Which of a migration's error classes made a request an error. Kept with each recent error so a
/// failure report says why a request counted against its side: an operator who lists 429 as an
/// error, or turns timeouts off, can see which rule the counted requests fell under.
/// </summary>
public enum ErrorCause
{
    /// <summary>Not an error.</summary>
    None,

    /// <summary>The backend answered with a status the migration counts as an error.</summary>
    Status,

    /// <summary>The backend answered a gRPC call with a <c>grpc-status</c> the migration counts as an error.</summary>
    GrpcStatus,

    /// <summary>The backend could not be reached, or broke the connection.</summary>
    ConnectionFailure,

    /// <summary>The backend stayed silent for longer than its timeout.</summary>
    Timeout,

    /// <summary>The backend's answer had not begun after the migration's <c>errors.unansweredAfter</c>, though it came in the end.</summary>
    Unanswered,
}
