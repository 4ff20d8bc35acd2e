using System.Net.Http.Json;
using System.Text.Json;

namespace LayeredRollout.Candidate;

/// <summary>
/// Follows the migration's plan on Cutover's admin API (<c>GET /api/migrations/NAME</c>, twice a
/// second) and switches the candidate to the new table once <c>plan.pointOfNoReturn.passed</c> is
/// true: the moment the plan marks that the candidate writes the new store.
/// </summary>
public sealed partial class PointOfNoReturnWatch(StoreChoice stores, Uri control, string migration, ILogger<PointOfNoReturnWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var http = new HttpClient { BaseAddress = control, Timeout = TimeSpan.FromSeconds(5) };
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                var state = await http.GetFromJsonAsync<JsonElement>($"/api/migrations/{Uri.EscapeDataString(migration)}", stoppingToken);
                if (Passed(state) && stores.SwitchToNew())
                {
                    Switched(logger, migration);
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !stoppingToken.IsCancellationRequested)
            {
                // Cutover not up yet, or restarting: ask again at the next tick.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static bool Passed(JsonElement state) =>
        state.TryGetProperty("plan", out var plan) && plan.ValueKind == JsonValueKind.Object
        && plan.TryGetProperty("pointOfNoReturn", out var point) && point.ValueKind == JsonValueKind.Object
        && point.TryGetProperty("passed", out var passed) && passed.ValueKind == JsonValueKind.True;

    [LoggerMessage(1, LogLevel.Information, "The plan of '{Migration}' passed its point of no return: the candidate now reads and writes the new table")]
    private static partial void Switched(ILogger logger, string migration);
}
