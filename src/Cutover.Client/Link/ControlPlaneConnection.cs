using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Core.Link;

namespace Cutover.Client.Link;

/// <summary>
/// The HTTP side of the link: one client for the control plane's admin API, owned by the link
/// and never used on an application call's path. Every call but the open stream has
/// <see cref="CallTimeout"/>, so a control plane that hangs costs the link a retry, nothing more.
/// </summary>
internal sealed class ControlPlaneConnection(Uri controlPlane, string? caFile) : IDisposable
{
    /// <summary>How long a fetch or a report may take.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    // Enums (a difference's kind) by name, as the admin API writes and documents them.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private readonly HttpClient _http = new(ControlPlaneTrust.Of(caFile).CreateHandler()) { BaseAddress = controlPlane, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Every migration's state (<c>GET /api/migrations</c>).</summary>
    public async Task<IReadOnlyList<MigrationStateEvent>> GetStatesAsync(CancellationToken cancellationToken)
    {
        using var timeout = Bounded(cancellationToken);
        return await _http.GetFromJsonAsync<List<MigrationStateEvent>>("api/migrations", Json, timeout.Token) ?? [];
    }

    /// <summary>Opens the state stream (<c>GET /api/events</c>); the caller reads it until it ends.</summary>
    public async Task<HttpResponseMessage> OpenEventsAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/events");
        request.Headers.Accept.ParseAdd(LinkEvents.ContentType);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            response.EnsureSuccessStatusCode();
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Sends a report (<c>POST /api/results</c>); throws when the control plane did not accept it.</summary>
    public async Task PostResultsAsync(ResultsReport report, CancellationToken cancellationToken)
    {
        using var timeout = Bounded(cancellationToken);
        using var response = await _http.PostAsJsonAsync("api/results", report, Json, timeout.Token);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();

    private static CancellationTokenSource Bounded(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(CallTimeout);
        return source;
    }
}
