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

    /// <summary>
    /// A plan event (a step, a halt, a rollback…) as the webhooks get it, in the
    /// <c>cutover.event/v1</c> form, for people watching; the SDK decides by states alone and skips it.
    /// </summary>
    public const string Rollout = "rollout";

    /// <summary>The content type of the stream.</summary>
    public const string ContentType = "text/event-stream";
}
