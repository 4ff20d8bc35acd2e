using System.Globalization;
using System.Net.Http.Json;
using LayeredRollout.Stores;

namespace LayeredRollout.Users;

/// <summary>
/// The service's users, through Cutover: each request is one user's (<c>X-User-Id</c>, the key
/// Cutover keeps a user on one side by) reading their profile, or one time in ten renaming
/// themselves. Every 10 s it prints what the users got, so a walkthrough shows that no request
/// went unanswered while the traffic moved.
/// </summary>
public sealed class SimulatedUsers(Uri target, int perSecond, TextWriter output)
{
    private static readonly string[] Names = ["Ada King", "Grace Murray", "Alan Mathison", "Edsger Wybe", "Barbara Jane", "Donald Ervin"];

    private readonly Tally _tally = new();

    /// <summary>Sends requests at <c>perSecond</c> until stopped.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var http = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
        var report = ReportAsync(stopping);
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        var inFlight = new List<Task>();
        try
        {
            while (await pace.WaitForNextTickAsync(stopping))
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(SendAsync(http, stopping));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await Task.WhenAll(inFlight);
        await report;
    }

    private async Task SendAsync(HttpClient http, CancellationToken stopping)
    {
        var user = Random.Shared.Next(1, LegacyProfiles.Seeded + 1);
        using var request = Random.Shared.Next(10) == 0
            ? new HttpRequestMessage(HttpMethod.Put, $"/profiles/{user}")
            {
                Content = JsonContent.Create(new { name = Names[Random.Shared.Next(Names.Length)], email = $"user{user}@example.com" }),
            }
            : new HttpRequestMessage(HttpMethod.Get, $"/profiles/{user}");
        request.Headers.Add("X-User-Id", user.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var response = await http.SendAsync(request, stopping);
            var side = response.Headers.TryGetValues("Profiles-Version", out var version) && version.Contains("2") ? "candidate" : "legacy";
            _tally.Count(response.IsSuccessStatusCode ? "answered" : $"failed ({(int)response.StatusCode})", response.IsSuccessStatusCode ? side : null);
        }
        catch (HttpRequestException e)
        {
            _tally.Count($"failed ({e.HttpRequestError})", null);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped mid-request: not a user's answer.
        }
    }

    private async Task ReportAsync(CancellationToken stopping)
    {
        using var every = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await every.WaitForNextTickAsync(stopping))
            {
                await output.WriteLineAsync($"users: last 10 s {_tally.TakeInterval()}; since the start {_tally.Total()}");
                await output.FlushAsync(stopping);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
