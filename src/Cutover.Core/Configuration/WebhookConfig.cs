namespace Cutover.Core.Configuration;

/// <summary>One item of <c>notifications.webhooks</c> as written, before validation.</summary>
public sealed record WebhookConfig
{
    /// <summary>The receiver's absolute http:// or https:// URL.</summary>
    public string? Url { get; init; }

    /// <summary>The body's form: json or slack. The default value is json.</summary>
    public string? Format { get; init; }

    /// <summary>The event kinds sent, by wire name, so a channel takes only what it needs. The default is every kind.</summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>The migrations whose events are sent. The default is every migration.</summary>
    public IReadOnlyList<string>? Migrations { get; init; }

    /// <summary>Extra request headers, typically a receiver's credentials.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>How long one attempt may take, as a duration. The default value is 5s.</summary>
    public string? Timeout { get; init; }

    /// <summary>How many attempts follow a failed first one. The default value is 5.</summary>
    public double? Retries { get; init; }

    /// <summary>Whether the webhook may reach link-local and cloud metadata addresses and Cutover's own admin API, which are refused otherwise. The default value is false.</summary>
    public bool? AllowPrivate { get; init; }

    /// <summary>Its position in the list, counting from 0.</summary>
    public int Index { get; init; }

    /// <summary>The line the item starts on, for error messages.</summary>
    public int Line { get; init; }
}
