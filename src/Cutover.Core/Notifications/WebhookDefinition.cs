using Cutover.Core.Rollout;

namespace Cutover.Core.Notifications;

/// <summary>
/// A validated webhook: where rollout events go, in what form, which of them, and how hard
/// Cutover tries before giving up on one. Each webhook is served on its own, so a dead receiver
/// costs the others nothing.
/// </summary>
/// <param name="Index">Its position in <c>notifications.webhooks</c>, counting from 0: its name in logs and the metrics' <c>webhook</c> label.</param>
/// <param name="Url">The receiver.</param>
/// <param name="Format">The body's form.</param>
/// <param name="Events">The kinds sent.</param>
/// <param name="Migrations">The migrations whose events are sent, or null for every migration.</param>
/// <param name="Headers">Extra request headers, names ignoring case.</param>
/// <param name="Timeout">How long one attempt may take, connecting included.</param>
/// <param name="Retries">How many attempts follow a failed first one.</param>
public sealed record WebhookDefinition(
    int Index,
    Uri Url,
    WebhookFormat Format,
    IReadOnlySet<RolloutEventKind> Events,
    IReadOnlySet<string>? Migrations,
    IReadOnlyDictionary<string, string> Headers,
    TimeSpan Timeout,
    int Retries)
{
    /// <summary>
    /// Whether deliveries may reach what <see cref="WebhookTargets"/> refuses (link-local and cloud
    /// metadata addresses, Cutover's own admin API): for a receiver that really lives there. The
    /// default value is false.
    /// </summary>
    public bool AllowPrivate { get; init; }

    /// <summary>The per-attempt timeout when the config names none: long enough for a chat service, short enough not to hold the queue.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The retries when the config names none: with the backoff of 1, 2, 4, 8 and 16 seconds, a receiver may be away for half a minute.</summary>
    public const int DefaultRetries = 5;

    /// <summary>
    /// A name for logs, without secrets: the index, scheme, host and port. The path and query are
    /// left out because services such as Slack put the credential in them.
    /// </summary>
    public string Description => $"{Index} ({Url.Scheme}://{Url.Authority}{(Url.PathAndQuery == "/" ? string.Empty : "/...")})";

    /// <summary>Whether this webhook takes the event: its kind is subscribed and its migration is not filtered out.</summary>
    public bool Wants(RolloutEvent rolloutEvent)
    {
        ArgumentNullException.ThrowIfNull(rolloutEvent);
        return Events.Contains(rolloutEvent.Kind) && (Migrations is null || Migrations.Contains(rolloutEvent.Migration));
    }
}
