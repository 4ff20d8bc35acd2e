using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cutover.Core.Rollout;

namespace Cutover.Core.Notifications;

/// <summary>
/// The bodies webhooks receive. The JSON form is a contract (docs/notifications.md): fields are
/// only ever added within <see cref="Schema"/>; a change that removes or retypes one gets a new
/// schema name, so a receiver can tell which it is reading.
/// </summary>
public static class WebhookPayload
{
    /// <summary>The schema name and version every JSON body carries in its <c>schema</c> field.</summary>
    public const string Schema = "cutover.event/v1";

    // The bodies go to programs and chat services, never into HTML, so "0.31 > 0.05" and "é" are written as themselves rather than \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body for a webhook of <paramref name="format"/>, as UTF-8.</summary>
    /// <param name="format">The webhook's format.</param>
    /// <param name="rolloutEvent">The event.</param>
    /// <param name="id">The event's id, the same for every webhook and every attempt, so a receiver can drop a repeat.</param>
    public static byte[] For(WebhookFormat format, RolloutEvent rolloutEvent, string id) =>
        format == WebhookFormat.Slack ? Slack(rolloutEvent) : Json(rolloutEvent, id);

    /// <summary>
    /// The <c>cutover.event/v1</c> object: schema, id, kind, migration, time (ISO 8601 UTC,
    /// milliseconds), actor, summary, state, step (null when the plan has ended), stepCount and
    /// evidence (null for a person's command).
    /// </summary>
    public static byte[] Json(RolloutEvent rolloutEvent, string id)
    {
        ArgumentNullException.ThrowIfNull(rolloutEvent);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("schema", Schema);
            json.WriteString("id", id);
            json.WriteString("kind", rolloutEvent.Kind.ToWire());
            json.WriteString("migration", rolloutEvent.Migration);
            json.WriteString("time", Time(rolloutEvent.Time));
            json.WriteString("actor", rolloutEvent.Actor);
            json.WriteString("summary", rolloutEvent.Summary);
            json.WriteString("state", rolloutEvent.State);
            if (rolloutEvent.Step is { } step)
            {
                json.WriteNumber("step", step);
            }
            else
            {
                json.WriteNull("step");
            }

            json.WriteNumber("stepCount", rolloutEvent.StepCount);
            json.WritePropertyName("evidence");
            if (rolloutEvent.Evidence is { } evidence)
            {
                evidence.WriteTo(json);
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A Slack incoming-webhook body: <c>{"text": ...}</c> with <see cref="SlackText"/>.</summary>
    public static byte[] Slack(RolloutEvent rolloutEvent)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("text", SlackText(rolloutEvent));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Two lines of Slack markup: the migration in bold and what happened, then the state, the
    /// step and who did it. A summary that starts with the migration's name (as the orchestrator
    /// writes them: "orders rolled back: ...") is used as the first line with the name made bold;
    /// otherwise the line is the name, the kind and the summary. <c>&amp;</c>, <c>&lt;</c> and
    /// <c>&gt;</c> are escaped, as Slack requires, so "0.31 &gt; 0.05" is not read as a link.
    /// </summary>
    public static string SlackText(RolloutEvent rolloutEvent)
    {
        ArgumentNullException.ThrowIfNull(rolloutEvent);
        var name = rolloutEvent.Migration;
        var summary = rolloutEvent.Summary.Trim();
        var text = new StringBuilder("*").Append(Escape(name)).Append('*');
        if (summary.StartsWith(name + " ", StringComparison.Ordinal))
        {
            text.Append(Escape(summary[name.Length..]));
        }
        else
        {
            text.Append(' ').Append(rolloutEvent.Kind.ToWire().Replace('-', ' '));
            if (summary.Length > 0)
            {
                text.Append(": ").Append(Escape(summary));
            }
        }

        var context = new List<string>();
        if (rolloutEvent.State.Trim().Length > 0)
        {
            context.Add(Escape(rolloutEvent.State.Trim()));
        }

        if (rolloutEvent.StepCount > 0)
        {
            context.Add(rolloutEvent.Step is { } step
                ? string.Create(CultureInfo.InvariantCulture, $"step {step} of {rolloutEvent.StepCount}")
                : "plan ended");
        }

        context.Add("by " + Escape(rolloutEvent.Actor));
        return text.Append('\n').Append(string.Join(", ", context)).ToString();
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
