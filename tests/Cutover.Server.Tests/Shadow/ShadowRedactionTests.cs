using System.Net.Http.Json;
using System.Text;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Shadow;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Shadow;

/// <summary>What the store keeps of a mirrored request and its two answers when the migration names nothing to redact.</summary>
public sealed class ShadowRedactionTests
{
    private static readonly string[] Secrets = ["qs-t0ken-9f", "hdr-t0ken-9f", "s3cr3t-pass-9f", "at-legacy-9f", "rt-legacy-9f", "at-candidate-9f", "key-legacy-9f"];

    [Fact]
    public async Task StoredSample_SecretsUnderDefaultNames_AreRedactedInTargetHeadersBodiesAndDifferences()
    {
        await using var legacy = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context,
            """{"id":1,"session":{"Access_Token":"at-legacy-9f","refresh_token":"rt-legacy-9f"},"keys":[{"name":"ci","ApiKey":"key-legacy-9f"}]}"""));
        await using var candidate = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context,
            """{"id":2,"session":{"Access_Token":"at-candidate-9f"}}"""));
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { methods: [POST] }"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/sessions?TOKEN=qs-t0ken-9f&page=2")
        {
            Content = new StringContent("""{"user":"ann","credentials":{"Password":"s3cr3t-pass-9f"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Auth-Token", "hdr-t0ken-9f");
        (await proxy.Proxy.SendAsync(request)).EnsureSuccessStatusCode();
        var view = await ShadowHarness.SettledAsync(proxy, 1);

        var id = Assert.Single(Assert.Single(view.Endpoints).Samples).Id;
        var stored = await proxy.Admin.GetStringAsync($"/api/migrations/orders/divergences?sample={id}");
        var sample = (await proxy.Admin.GetFromJsonAsync<DivergencesView>($"/api/migrations/orders/divergences?sample={id}", ShadowHarness.Json))!.Sample!;
        Assert.All(Secrets, secret => Assert.DoesNotContain(secret, stored, StringComparison.Ordinal));
        Assert.Equal("/sessions?TOKEN=[redacted]&page=2", sample.Request!.Target);
        Assert.Equal(Redaction.Mask, sample.Request.Headers["X-Auth-Token"]);
        Assert.Equal("""{"user":"ann","credentials":{"Password":"[redacted]"}}""", sample.Request.Body);
        Assert.Equal("""{"id":1,"session":{"Access_Token":"[redacted]","refresh_token":"[redacted]"},"keys":[{"name":"ci","ApiKey":"[redacted]"}]}""", sample.Legacy.Body);
        Assert.Equal("""{"id":2,"session":{"Access_Token":"[redacted]"}}""", sample.Candidate.Body);
        Assert.Contains(new Difference("$.id", DifferenceKind.ValueChanged, "1", "2"), sample.Differences);
        Assert.Contains(new Difference("$.session.Access_Token", DifferenceKind.ValueChanged, Redaction.Mask, Redaction.Mask), sample.Differences);
        Assert.Contains(new Difference("$.keys", DifferenceKind.Missing, """[{"name":"ci","ApiKey":"[redacted]"}]""", null), sample.Differences);
    }
}
