namespace Cutover.Server.Notifications;

/// <summary>A delivery was stopped before connecting, because its receiver resolves to an address <see cref="Core.Notifications.WebhookTargets"/> refuses.</summary>
internal sealed class WebhookTargetException(string message) : IOException(message);
