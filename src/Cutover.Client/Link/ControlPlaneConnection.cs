using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Kernel.Link;
using Cutover.Kernel.Timing;

namespace Cutover.Client.Link;

/// <summary>
/// The HTTP side of the link: one client for the control plane's admin API, owned by the link
/// and never used on an application call's path. Every call but the open stream has
/// <see cref="CallTimeout"/>, so a control plane that hangs costs the link a retry, nothing more.
/// </summary>
internal sealed class ControlPlaneConnection(Uri controlPlane, string? caFile, string? token) : IDisposable
{
    /// <summary>How long a report may take.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    // Enums (a difference's kind) by name, as the admin API writes and documents them.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private readonly HttpClient _http = Create(controlPlane, caFile, token);

    /// <summary>Opens the state stream (<c>GET /api/events</c>); the caller reads it until it ends.</summary>
    public async Task<HttpResponseMessage> OpenEventsAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/events");
        request.Headers.Accept.ParseAdd(LinkEvents.ContentType);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            Accepted(response);
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
        Accepted(response);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Throws for an answer that is not a success, saying what to set when the control plane wants a token.</summary>
    private static void Accepted(HttpResponseMessage response)
    {
        var why = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "the control plane takes tokens and refused this one, or none was set; set Cutover:Token to a reporter token (`cutover token create NAME --role reporter`)",
            HttpStatusCode.Forbidden => "the control plane refused the call to this token; give the application a reporter token allowed its migrations",
            _ => null,
        };
        if (why is not null)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {why}", null, response.StatusCode);
        }

        response.EnsureSuccessStatusCode();
    }

    private static HttpClient Create(Uri controlPlane, string? caFile, string? token)
    {
        var http = new HttpClient(ControlPlaneTrust.Of(caFile).CreateHandler()) { BaseAddress = controlPlane, Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrWhiteSpace(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        }

        return http;
    }

    private static CancellationTokenSource Bounded(CancellationToken cancellationToken) => IoDeadline.After(CallTimeout, cancellationToken);
}
