using Cutover.Core.Notifications;
using Cutover.Core.Rollout;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks one webhook of the <c>notifications</c> section and builds its
/// <see cref="WebhookDefinition"/>. Its migration filter is checked against the file's migrations,
/// and its URL against Cutover's own addresses, so a typo does not silently send nothing (or
/// send events back to Cutover).
/// </summary>
internal static class WebhookValidator
{
    private const int MaxRetries = 100;

    // Cutover writes these itself for every delivery; a configured value would contradict the body or the connection.
    private static readonly string[] ReservedHeaders = ["Content-Type", "Content-Length", "Transfer-Encoding", "Connection", "Host"];

    /// <summary>Validates <paramref name="webhook"/>; <paramref name="fail"/> gets (key, message). Returns null when anything failed.</summary>
    public static WebhookDefinition? Validate(WebhookConfig webhook, IReadOnlyList<string> migrationNames, WebhookTargets targets, Action<string, string> fail)
    {
        var path = $"notifications.webhooks[{webhook.Index}]";
        var failures = 0;
        void Fail(string key, string message)
        {
            failures++;
            fail(path + "." + key, message);
        }

        var url = ValueRules.HttpUrl(webhook.Url, "url", "is missing; give the receiver's http:// or https:// URL (e.g. https://hooks.slack.com/services/...)",
            $"'{webhook.Url}' is not a webhook URL; use http:// or https:// with a host and optional port, path and query, no fragment, and credentials in headers rather than user:password@ (e.g. https://hooks.example.com/cutover)", Fail);
        if (url is not null && webhook.AllowPrivate != true && targets.Refusal(url) is { } refused)
        {
            Fail("url", $"'{webhook.Url!.Trim()}' points at {refused}; point the webhook at its receiver, or add allowPrivate: true to it if that address is meant");
        }

        var format = WebhookFormat.Json;
        if (webhook.Format is not null && !WebhookFormats.TryParse(webhook.Format, out format))
        {
            Fail("format", $"'{webhook.Format}' is not a webhook format; use {WebhookFormats.List}");
        }

        var events = new HashSet<RolloutEventKind>(Enum.GetValues<RolloutEventKind>());
        if (webhook.Events is { } eventNames)
        {
            events.Clear();
            if (eventNames.Count == 0)
            {
                Fail("events", $"is empty, so nothing would be sent; list some of {RolloutEventKinds.List}, or leave it out to send every event");
            }

            foreach (var name in eventNames)
            {
                if (RolloutEventKinds.TryParse(name.Trim(), out var kind))
                {
                    events.Add(kind.Value);
                }
                else
                {
                    Fail("events", $"'{name}' is not an event; use {RolloutEventKinds.List}");
                }
            }
        }

        HashSet<string>? migrations = null;
        if (webhook.Migrations is { } filter)
        {
            migrations = new HashSet<string>(StringComparer.Ordinal);
            if (filter.Count == 0)
            {
                Fail("migrations", "is empty, so nothing would be sent; name migrations of this file, or leave it out to send every migration's events");
            }

            foreach (var name in filter)
            {
                if (migrationNames.Contains(name.Trim(), StringComparer.Ordinal))
                {
                    migrations.Add(name.Trim());
                }
                else
                {
                    Fail("migrations", migrationNames.Count == 0
                        ? $"'{name}' is not a migration in this file, which has none; remove the filter or add the migration"
                        : $"'{name}' is not a migration in this file; use one of: {string.Join(", ", migrationNames)}");
                }
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in webhook.Headers ?? new Dictionary<string, string>())
        {
            if (!ValueRules.IsHeaderName(name))
            {
                Fail("headers", $"'{name}' is not a header name; use letters, digits and dashes (e.g. Authorization)");
            }
            else if (ReservedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                Fail("headers." + name, "is written by Cutover for each delivery; remove it");
            }
            else if (value.Any(char.IsControl))
            {
                // The value is not shown: it is usually a credential.
                Fail("headers." + name, "the value holds a line break or another control character; write it on one line");
            }
            else
            {
                headers[name] = value.Trim();
            }
        }

        var timeout = ValueRules.Timeout(webhook.Timeout, WebhookDefinition.DefaultTimeout, "timeout", Fail);

        var retries = ValueRules.WholeNumber(webhook.Retries, WebhookDefinition.DefaultRetries, 0, MaxRetries, "retries", "attempts after the first (0 for none)", Fail);

        return failures > 0 ? null : new WebhookDefinition(webhook.Index, url!, format, events, migrations, headers, timeout, (int)retries) { AllowPrivate = webhook.AllowPrivate ?? false };
    }
}
