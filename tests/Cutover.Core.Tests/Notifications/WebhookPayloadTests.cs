using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cutover.Core.Notifications;
using Cutover.Core.Rollout;

namespace Cutover.Core.Tests.Notifications;

public class WebhookPayloadTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 15, 0, 250, TimeSpan.FromHours(1));

    [Fact]
    public void Json_WritesTheV1SchemaInItsOrder()
    {
        var evidence = new JsonObject { ["condition"] = "candidate.errorRate > 0.05", ["value"] = 0.31 };
        var rolledBack = new RolloutEvent(RolloutEventKind.RolledBack, "orders", At, "cutover",
            "orders rolled back: candidate.errorRate 0.31 > 0.05 for 1m", "mode=legacy weight=0", 3, 7, evidence);

        var text = Encoding.UTF8.GetString(WebhookPayload.Json(rolledBack, "0193a"));

        Assert.Equal("""
            {"schema":"cutover.event/v1","id":"0193a","kind":"rolled-back","migration":"orders","time":"2026-11-22T08:15:00.250Z","actor":"cutover","summary":"orders rolled back: candidate.errorRate 0.31 > 0.05 for 1m","state":"mode=legacy weight=0","step":3,"stepCount":7,"evidence":{"condition":"candidate.errorRate > 0.05","value":0.31}}
            """, text);
    }

    [Fact]
    public void Json_EndedPlanAndPersonsCommand_WriteNulls()
    {
        var completed = new RolloutEvent(RolloutEventKind.Completed, "orders", At, "ann", "done", "mode=candidate weight=100", null, 7, null);

        using var json = JsonDocument.Parse(WebhookPayload.For(WebhookFormat.Json, completed, "x"));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("step").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("evidence").ValueKind);
        Assert.Equal(7, json.RootElement.GetProperty("stepCount").GetInt32());
    }

    [Fact]
    public void SlackText_BoldsTheMigrationOfTheOrchestratorsSummary_AndEscapesAngleBrackets()
    {
        var rolledBack = new RolloutEvent(RolloutEventKind.RolledBack, "orders", At, "cutover",
            "orders rolled back: candidate.errorRate 0.31 > 0.05 for 1m", "mode=legacy weight=0", 3, 7, null);

        Assert.Equal("*orders* rolled back: candidate.errorRate 0.31 &gt; 0.05 for 1m\nmode=legacy weight=0, step 3 of 7, by cutover", WebhookPayload.SlackText(rolledBack));
    }

    [Theory]
    [InlineData(RolloutEventKind.Paused, "waiting for approval", 2, 5, "*orders* paused: waiting for approval\nmode=canary weight=25, step 2 of 5, by ann")]
    [InlineData(RolloutEventKind.StepAdvanced, "", 3, 5, "*orders* step advanced\nmode=canary weight=25, step 3 of 5, by ann")]
    [InlineData(RolloutEventKind.Completed, "A & B <done>", null, 5, "*orders* completed: A &amp; B &lt;done&gt;\nmode=canary weight=25, plan ended, by ann")]
    [InlineData(RolloutEventKind.RolledBack, "by hand", null, 0, "*orders* rolled back: by hand\nmode=canary weight=25, by ann")]
    public void SlackText_OtherwiseNamesTheKind(RolloutEventKind kind, string summary, int? step, int stepCount, string expected) =>
        Assert.Equal(expected, WebhookPayload.SlackText(new RolloutEvent(kind, "orders", At, "ann", summary, "mode=canary weight=25", step, stepCount, null)));

    [Fact]
    public void Slack_IsAnIncomingWebhookBody()
    {
        var paused = new RolloutEvent(RolloutEventKind.Paused, "orders", At, "ann", "waiting", "mode=canary weight=25", 2, 5, null);

        using var json = JsonDocument.Parse(WebhookPayload.For(WebhookFormat.Slack, paused, "id"));

        Assert.Equal(["text"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(WebhookPayload.SlackText(paused), json.RootElement.GetProperty("text").GetString());
    }
}
