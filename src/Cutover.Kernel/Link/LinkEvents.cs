namespace Cutover.Kernel.Link;

/// <summary>
/// The event names of the admin API's server-sent events (<c>GET /api/events</c>), which the
/// in-process SDK follows to decide by the same state the proxy routes by.
/// </summary>
public static class LinkEvents
{
    /// <summary>Sent first on every connection: the state of every migration (<see cref="StateSnapshot"/>).</summary>
    public const string Snapshot = "snapshot";

    /// <summary>One migration's new state (<see cref="MigrationStateEvent"/>), sent as the change happens.</summary>
    public const string State = "state";

    /// <summary>The content type of the stream.</summary>
    public const string ContentType = "text/event-stream";
}
