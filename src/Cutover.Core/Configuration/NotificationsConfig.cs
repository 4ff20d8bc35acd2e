namespace Cutover.Core.Configuration;

/// <summary>The file's <c>notifications</c> section as written: where rollout events are told.</summary>
public sealed record NotificationsConfig
{
    /// <summary>The webhooks, in file order; the order names them in logs and metrics.</summary>
    public IReadOnlyList<WebhookConfig> Webhooks { get; init; } = [];
}
