using Cutover.Core.Configuration;
using Cutover.Core.Notifications;
using Cutover.Core.Rollout;

namespace Cutover.Core.Tests.Configuration;

public class NotificationsConfigTests
{
    private const string Migrations = """
        migrations:
          - name: orders
            match: { pathPrefix: /orders }
            legacy: http://127.0.0.1:9001
            candidate: http://127.0.0.1:9002
          - name: users
            match: { pathPrefix: /users }
            legacy: http://127.0.0.1:9003
            candidate: http://127.0.0.1:9004
        """;

    [Fact]
    public void Load_Webhooks_ParsesEveryKey()
    {
        var definition = ConfigLoader.Load(Migrations + """

            notifications:
              webhooks:
                - url: https://hooks.slack.com/services/T0/B0/secret
                  format: Slack
                  events: [rolled-back, trigger-fired, paused]
                  migrations: [orders]
                  headers: { Authorization: "Bearer abc" }
                  timeout: 2s
                  retries: 0
                - url: http://127.0.0.1:7000/events?token=x
            """, "c.yaml");

        Assert.Equal(2, definition.Webhooks.Count);
        var slack = definition.Webhooks[0];
        Assert.Equal(0, slack.Index);
        Assert.Equal("https://hooks.slack.com/services/T0/B0/secret", slack.Url.AbsoluteUri);
        Assert.Equal(WebhookFormat.Slack, slack.Format);
        Assert.Equal([RolloutEventKind.TriggerFired, RolloutEventKind.RolledBack, RolloutEventKind.Paused], slack.Events.Order());
        Assert.Equal(["orders"], slack.Migrations!);
        Assert.Equal("Bearer abc", slack.Headers["authorization"]);
        Assert.Equal(TimeSpan.FromSeconds(2), slack.Timeout);
        Assert.Equal(0, slack.Retries);
        Assert.Equal("0 (https://hooks.slack.com/...)", slack.Description);

        var plain = definition.Webhooks[1];
        Assert.Equal(1, plain.Index);
        Assert.Equal(WebhookFormat.Json, plain.Format);
        Assert.Equal(Enum.GetValues<RolloutEventKind>(), plain.Events.Order());
        Assert.Null(plain.Migrations);
        Assert.Empty(plain.Headers);
        Assert.Equal(WebhookDefinition.DefaultTimeout, plain.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), plain.Timeout);
        Assert.Equal(5, plain.Retries);
        Assert.Equal("1 (http://127.0.0.1:7000/...)", plain.Description);
    }

    [Theory]
    [InlineData("notifications:")]
    [InlineData("notifications: { webhooks: [] }")]
    [InlineData("")]
    public void Load_NoWebhooks_IsValidAndSendsNothing(string section) =>
        Assert.Empty(ConfigLoader.Load(Migrations + "\n" + section, "c.yaml").Webhooks);

    [Fact]
    public void Wants_FiltersByKindAndMigration()
    {
        var webhook = Assert.Single(ConfigLoader.Load(Migrations + """

            notifications:
              webhooks:
                - { url: "http://127.0.0.1:7000/", events: [rolled-back], migrations: [orders] }
            """, "c.yaml").Webhooks);

        Assert.True(webhook.Wants(Event(RolloutEventKind.RolledBack, "orders")));
        Assert.False(webhook.Wants(Event(RolloutEventKind.Paused, "orders")));
        Assert.False(webhook.Wants(Event(RolloutEventKind.RolledBack, "users")));
        Assert.Equal("0 (http://127.0.0.1:7000)", webhook.Description);
    }

    [Theory]
    [InlineData("url: ftp://hooks.example.com", "notifications.webhooks[0].url: 'ftp://hooks.example.com' is not a webhook URL; use http:// or https://")]
    [InlineData("url: /relative", "notifications.webhooks[0].url: '/relative' is not a webhook URL")]
    [InlineData("url: 'https://user:pw@hooks.example.com/'", "credentials in headers rather than user:password@")]
    [InlineData("format: teams", "notifications.webhooks[0].format: 'teams' is not a webhook format; use json or slack")]
    [InlineData("events: [rollback]", "notifications.webhooks[0].events: 'rollback' is not an event; use step-advanced, gate-failed, trigger-fired, rolled-back, paused, completed, halted")]
    [InlineData("events: []", "notifications.webhooks[0].events: is empty, so nothing would be sent")]
    [InlineData("migrations: [ordres]", "notifications.webhooks[0].migrations: 'ordres' is not a migration in this file; use one of: orders, users")]
    [InlineData("migrations: []", "notifications.webhooks[0].migrations: is empty")]
    [InlineData("headers: { 'X Key': a }", "notifications.webhooks[0].headers: 'X Key' is not a header name")]
    [InlineData("headers: { content-type: text/plain }", "notifications.webhooks[0].headers.content-type: is written by Cutover for each delivery; remove it")]
    [InlineData("headers: { Authorization: \"Bearer a\\nb\" }", "notifications.webhooks[0].headers.Authorization: the value holds a line break")]
    [InlineData("timeout: soon", "notifications.webhooks[0].timeout: 'soon' is not a positive duration; use a number with a unit")]
    [InlineData("timeout: 0s", "notifications.webhooks[0].timeout: '0s' is not a positive duration")]
    [InlineData("retries: -1", "notifications.webhooks[0].retries: -1 is not a whole number in 0..100; give the number of attempts after the first (0 for none)")]
    [InlineData("retries: 2.5", "notifications.webhooks[0].retries: 2.5 is not a whole number in 0..100")]
    [InlineData("retries: often", "notifications.webhooks[0].retries: 'often' is not a number; use a whole number of attempts after the first, e.g. 5")]
    [InlineData("evnets: [paused]", "notifications.webhooks[0].evnets: unknown key; did you mean 'events'? Allowed keys here: url, format, events, migrations, headers, timeout, retries, allowPrivate")]
    [InlineData("allowPrivate: yes", "notifications.webhooks[0].allowPrivate: 'yes' is not true or false")]
    [InlineData("events: { paused: true }", "notifications.webhooks[0].events: expected a list of values, found a mapping")]
    public void Load_BadWebhookValue_NamesLineKeyValueAndWhatIsAllowed(string line, string expected)
    {
        var yaml = Migrations + $"""

            notifications:
              webhooks:
                - {line}
            """;
        if (!line.StartsWith("url:", StringComparison.Ordinal))
        {
            yaml += "\n      url: https://hooks.example.com/cutover";
        }

        var error = Assert.Single(Errors(yaml));

        Assert.StartsWith("cutover.yaml:", error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "a link-local address (169.254.0.0/16), where cloud metadata services answer")]
    [InlineData("http://2852039166/latest/meta-data/", "a link-local address (169.254.0.0/16), where cloud metadata services answer")]
    [InlineData("http://[::ffff:169.254.169.254]/", "a link-local address (169.254.0.0/16), where cloud metadata services answer")]
    [InlineData("https://[fe80::1]:9000/hook", "a link-local address (fe80::/10)")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "a cloud metadata service's address")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "a cloud metadata service's name")]
    [InlineData("http://METADATA./computeMetadata/v1/", "a cloud metadata service's name")]
    [InlineData("http://127.0.0.1:8081/api/migrations/orders/rollback", "Cutover's own admin API (port 8081)")]
    [InlineData("http://localhost:8081/api/migrations/orders/rollback", "Cutover's own admin API (port 8081)")]
    [InlineData("http://[::1]:8081/api/migrations/orders/rollback", "Cutover's own admin API (port 8081)")]
    [InlineData("http://0.0.0.0:8081/api/migrations/orders/rollback", "Cutover's own admin API (port 8081)")]
    public void Load_WebhookToAPrivateTarget_IsRefusedNamingTheUrlWhyAndTheFix(string url, string why) =>
        Assert.Equal(
            $"cutover.yaml:12: notifications.webhooks[0].url: '{url}' points at {why}; point the webhook at its receiver, or add allowPrivate: true to it if that address is meant",
            Assert.Single(Errors(Migrations + $$"""

                notifications:
                  webhooks:
                    - { url: "{{url}}", format: json }
                """)));

    [Fact]
    public void Load_WebhookToTheAdminAddress_FollowsTheAdminKey()
    {
        const string Webhooks = """

            notifications:
              webhooks:
                - url: http://localhost:9000/api/migrations/orders/rollback
                - url: http://admin.example.internal:9000/api/migrations/orders/rollback
                - url: http://127.0.0.1:8081/hook
            """;
        var errors = Errors("admin: http://admin.example.internal:9000\nadminAuth: tokens\n" + Migrations + Webhooks);

        Assert.Equal(2, errors.Count);
        Assert.Contains("notifications.webhooks[0].url: 'http://localhost:9000/api/migrations/orders/rollback' points at Cutover's own admin API (port 9000)", errors[0], StringComparison.Ordinal);
        Assert.Contains("notifications.webhooks[1].url: 'http://admin.example.internal:9000/api/migrations/orders/rollback' points at Cutover's own admin API (port 9000)", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PrivateTargetsWithAllowPrivate_AreAccepted()
    {
        var definition = ConfigLoader.Load(Migrations + """

            notifications:
              webhooks:
                - { url: "http://169.254.169.254/hook", allowPrivate: true }
                - { url: "http://metadata.google.internal/hook", allowPrivate: true }
                - { url: "http://127.0.0.1:8081/hook", allowPrivate: true }
                - { url: "http://127.0.0.1:7000/hook" }
                - { url: "http://127.0.0.1:7000/hook", allowPrivate: false }
            """, "c.yaml");

        Assert.Equal([true, true, true, false, false], definition.Webhooks.Select(w => w.AllowPrivate));
    }

    [Fact]
    public void Load_ValueProblems_CarryTheWebhooksLine_ShapeProblemsTheirKeysLine()
    {
        var errors = Errors(Migrations + """

            notifications:
              webhooks:
                - url: https://hooks.example.com/a
                - url: https://hooks.example.com/b
                  format: xml
                  retries: [1]
            """);

        Assert.Equal(2, errors.Count);
        Assert.Contains("cutover.yaml:13: notifications.webhooks[1].format: 'xml' is not a webhook format", errors[0], StringComparison.Ordinal);
        Assert.Contains("cutover.yaml:15: notifications.webhooks[1].retries: expected a single value, found a list", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingUrl_SaysWhatToGive() =>
        Assert.Contains("notifications.webhooks[0].url: is missing; give the receiver's http:// or https:// URL",
            Assert.Single(Errors(Migrations + "\nnotifications: { webhooks: [ { format: slack } ] }")), StringComparison.Ordinal);

    [Theory]
    [InlineData("notifications: [a]", "notifications: expected a mapping of keys (webhooks), found a list")]
    [InlineData("notifications: { webhook: [] }", "notifications.webhook: unknown key; did you mean 'webhooks'?")]
    [InlineData("notifications: { webhooks: https://a.example.com }", "notifications.webhooks: expected a list of webhooks (each item starting with '- url: ...')")]
    [InlineData("notification: { webhooks: [] }", "notification: unknown key; did you mean 'notifications'?")]
    public void Load_BadNotificationsShape_SaysWhatBelongsThere(string section, string expected) =>
        Assert.Contains(expected, Assert.Single(Errors(Migrations + "\n" + section)), StringComparison.Ordinal);

    [Fact]
    public void Load_MigrationFilterInAFileWithoutMigrations_SaysThereAreNone() =>
        Assert.Contains("'orders' is not a migration in this file, which has none",
            Assert.Single(Errors("migrations: []\nnotifications: { webhooks: [ { url: 'http://127.0.0.1:1/', migrations: [orders] } ] }")), StringComparison.Ordinal);

    private static RolloutEvent Event(RolloutEventKind kind, string migration) =>
        new(kind, migration, DateTimeOffset.UnixEpoch, "cutover", string.Empty, "mode=legacy weight=0", null, 0, null);

    private static List<string> Errors(string yaml)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(yaml, "cutover.yaml"));
        return exception.Errors.Select(e => e.ToString()).ToList();
    }
}
