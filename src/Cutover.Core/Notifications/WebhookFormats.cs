namespace Cutover.Core.Notifications;

/// <summary>The wire names of <see cref="WebhookFormat"/>, as written in the config file.</summary>
public static class WebhookFormats
{
    /// <summary>Every format's wire name, for error messages.</summary>
    public const string List = "json or slack";

    /// <summary>The lower-case wire name of a format.</summary>
    public static string ToWire(this WebhookFormat format) => format switch
    {
        WebhookFormat.Json => "json",
        WebhookFormat.Slack => "slack",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Parses a wire name in any case, as modes are.</summary>
    public static bool TryParse(string? text, out WebhookFormat format)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "json": format = WebhookFormat.Json; return true;
            case "slack": format = WebhookFormat.Slack; return true;
            default: format = WebhookFormat.Json; return false;
        }
    }
}
