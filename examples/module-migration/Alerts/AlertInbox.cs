using System.Text.Json;

namespace ModuleMigration.Alerts;

/// <summary>
/// Where Cutover's webhook delivers the plan's events for this walkthrough (a real deployment
/// points it at a chat or a pager): the latest 50 are kept and shown at <c>GET /alerts</c>, and
/// logged as they come. A <c>gate-failed</c> event is the 1% divergence alert.
/// </summary>
public sealed class AlertInbox(ILogger<AlertInbox> logger)
{
    private const int Kept = 50;
    private readonly LinkedList<Alert> _alerts = new();

    /// <summary>Keeps one event (the <c>cutover.event/v1</c> body); false when it is not one.</summary>
    public bool Receive(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String
            || !body.TryGetProperty("migration", out var migration) || migration.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var summary = body.TryGetProperty("summary", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : string.Empty;
        var alert = new Alert(kind.GetString()!, migration.GetString()!, summary);
        lock (_alerts)
        {
            _alerts.AddLast(alert);
            if (_alerts.Count > Kept)
            {
                _alerts.RemoveFirst();
            }
        }

        logger.LogWarning("Cutover: {Kind} {Migration}: {Summary}", alert.Kind, alert.Migration, alert.Summary);
        return true;
    }

    /// <summary>The events kept, oldest first.</summary>
    public IReadOnlyList<Alert> List()
    {
        lock (_alerts)
        {
            return [.. _alerts];
        }
    }
}

/// <summary>One event of a plan, as the webhook told it.</summary>
public sealed record Alert(string Kind, string Migration, string Summary);
