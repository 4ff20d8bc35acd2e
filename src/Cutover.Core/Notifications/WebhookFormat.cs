namespace Cutover.Core.Notifications;

/// <summary>The body a webhook receives: Cutover's own schema, or what a Slack incoming webhook reads.</summary>
public enum WebhookFormat
{
    /// <summary>The versioned <c>cutover.event/v1</c> JSON object, for programs.</summary>
    Json,

    /// <summary><c>{"text": "..."}</c>, which Slack (and Mattermost, and others that copied it) posts as a message.</summary>
    Slack,
}
