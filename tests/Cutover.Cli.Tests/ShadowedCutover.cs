using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary>
/// A real Cutover with migration "orders" in shadow mode over two real backends that disagree on
/// <c>/orders/*</c> (legacy's price is 1, the candidate's 2; legacy's requestId changes with every
/// answer, which the noise probe learns) and agree on everything else. <see cref="InitializeAsync"/>
/// sends traffic through the data plane and waits until the admin API shows it compared.
/// </summary>
public sealed class ShadowedCutover : IAsyncLifetime
{
    /// <summary>Requests sent to <c>GET /orders/{id}</c>, each compared and divergent.</summary>
    public const int OrderRequests = 4;

    /// <summary>Requests sent to <c>GET /health</c>, each compared and equal.</summary>
    public const int HealthRequests = 3;

    private static readonly TimeSpan CompareTimeout = TimeSpan.FromSeconds(30);

    private RunningCutover _cutover = null!;

    public string Admin => _cutover.Admin;

    public async Task InitializeAsync()
    {
        var legacy = await LoopbackBackend.StartAsync(context => Answer(context, $$"""{"id":1,"price":1,"requestId":"{{Guid.NewGuid()}}"}"""));
        var candidate = await LoopbackBackend.StartAsync(context => Answer(context, """{"id":1,"price":2}"""));
        _cutover = await RunningCutover.StartAsync($$"""
              - name: orders
                match: { pathPrefix: / }
                legacy: {{legacy.Urls.First()}}
                candidate: {{candidate.Urls.First()}}
                mode: shadow
                shadow: { noiseProbe: true }
            """, legacy, candidate);

        using var http = new HttpClient { BaseAddress = _cutover.Host.DataPlaneAddress };
        for (var i = 1; i <= OrderRequests; i++)
        {
            (await http.GetAsync(new Uri($"/orders/{i}", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        for (var i = 0; i < HealthRequests; i++)
        {
            (await http.GetAsync(new Uri("/health", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        await WaitUntilComparedAsync(_cutover, OrderRequests + HealthRequests);
    }

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    private static Task Answer(HttpContext context, string orders)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(context.Request.Path.StartsWithSegments("/orders") ? orders : """{"ok":true}""");
    }

    /// <summary>Shadow copies are compared in the background, after the user got legacy's answer; wait for all of them (of a single migration).</summary>
    internal static async Task WaitUntilComparedAsync(RunningCutover cutover, int pairs, string migration = "orders")
    {
        using var admin = new HttpClient { BaseAddress = cutover.Host.AdminAddress };
        var deadline = DateTime.UtcNow + CompareTimeout;
        while (true)
        {
            using var view = JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/api/migrations/{migration}/divergences", UriKind.Relative)));
            var compared = view.RootElement.GetProperty("endpoints").EnumerateArray().Sum(e => e.GetProperty("compared").GetInt64());
            if (compared >= pairs)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {compared} of {pairs} shadow pairs were compared within {CompareTimeout.TotalSeconds}s:\n{view.RootElement}");
            }

            await Task.Delay(50);
        }
    }
}
