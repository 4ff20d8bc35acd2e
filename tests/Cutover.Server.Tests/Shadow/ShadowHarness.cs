using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Shadow;

/// <summary>A proxy in front of two scripted backends, and the admin API's divergence report, for shadow tests.</summary>
internal static class ShadowHarness
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    /// <summary>The migrations list of one migration named orders on every path, in shadow mode, with extra YAML lines under it.</summary>
    public static string Migration(string legacy, string candidate, string shadow = "", string mode = "shadow", string extra = "") => $"""
          - name: orders
            match: {"{"} pathPrefix: / {"}"}
            legacy: {legacy}
            candidate: {candidate}
            mode: {mode}
            stickyBy: header:X-User-Id
        {Indent(shadow)}{Indent(extra)}
        """;

    public static async Task<DivergencesView> DivergencesAsync(ProxyUnderTest proxy, string query = "") =>
        (await proxy.Admin.GetFromJsonAsync<DivergencesView>($"/api/migrations/orders/divergences{query}", Json))!;

    /// <summary>Waits until every copy of <paramref name="copies"/> has an outcome (compared or candidate error), or fails after 20 s.</summary>
    public static async Task<DivergencesView> SettledAsync(ProxyUnderTest proxy, long copies)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var view = await DivergencesAsync(proxy);
            if (view.Shadow.Compared + view.Shadow.CandidateErrors >= copies)
            {
                return view;
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {view.Shadow.Compared} compared and {view.Shadow.CandidateErrors} failed of {copies} copies after 20 s: {JsonSerializer.Serialize(view.Shadow)}");
            await Task.Delay(50);
        }
    }

    private static string Indent(string yaml) =>
        yaml.Length == 0 ? string.Empty : string.Concat(yaml.Split('\n').Select(line => "    " + line.TrimEnd() + "\n"));
}
