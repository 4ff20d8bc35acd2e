using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Cli.Invocation;
using Cutover.Core.Security;
using Cutover.Kernel.Security;

namespace Cutover.Cli.AdminApi;

/// <summary>Talks to a running Cutover's admin API and turns every failure into one clear exception.</summary>
/// <param name="admin">The admin API's address.</param>
/// <param name="trust">Which https certificates to accept.</param>
/// <param name="timeout">How long to wait for an answer; null for <see cref="DefaultTimeout"/>.</param>
/// <param name="token">The admin API token sent as <c>Authorization: Bearer</c>; null to send none.</param>
internal sealed class AdminClient(Uri admin, AdminTrust trust, TimeSpan? timeout = null, string? token = null) : IDisposable
{
    /// <summary>How long a call waits for an answer unless the command needs longer (the admin API answers reads and changes within milliseconds).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _timeout = timeout ?? DefaultTimeout;
    private readonly HttpClient _http = Create(admin, trust, timeout ?? DefaultTimeout, token);

    /// <summary>
    /// The admin API's JSON: camelCase, enums (such as a difference's kind) as camelCase names, as
    /// the server writes them; indented and without HTML escaping (a time's <c>+00:00</c>, a
    /// body's quotes) so <c>--json</c> output reads as the values are.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) }, cancellationToken);

    public void Dispose() => _http.Dispose();

    /// <summary>What the CLI adds to a 401 or 403: how to give it a token, and which role the call needs.</summary>
    private static string AccessAdvice(int status, JsonElement problem) => status switch
    {
        401 => $" Give the CLI a token with --token or {CliOptions.TokenVariable}.",
        403 when problem.TryGetProperty("requiredRole", out var role) && role.GetString() is { } roles =>
            $" Run it with a token of role {roles} (--token or {CliOptions.TokenVariable}).",
        _ => string.Empty,
    };

    /// <summary>
    /// Opens a response that streams for as long as the admin API keeps it open (<c>GET /api/events</c>):
    /// the timeout covers only the wait for its headers. The caller disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken cancellationToken) =>
        await SendCheckedAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                ?? throw new AdminUnreachableException(admin, "it answered with an empty body");
        }
        catch (JsonException)
        {
            throw new AdminUnreachableException(admin, "it answered with something that is not Cutover's JSON; is --admin pointing at the data plane or another service?");
        }
    }

    /// <summary>Sends <paramref name="request"/> and returns its successful response; every failure becomes <see cref="AdminUnreachableException"/> or <see cref="AdminProblemException"/>.</summary>
    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, cancellationToken);
            }
            catch (HttpRequestException e) when (e.InnerException is AuthenticationException && trust.Refusal is { } refusal)
            {
                throw new AdminUnreachableException(admin, refusal, trust.CaFile is null
                    ? "If a private CA issued the admin API's certificate, pass that CA's certificate (PEM) with --ca FILE or CUTOVER_CA; --admin must name a host the certificate is issued for."
                    : $"Check that {trust.CaFile} (--ca) holds the CA that issued the admin API's certificate; --admin must name a host the certificate is issued for.");
            }
            catch (HttpRequestException e)
            {
                throw new AdminUnreachableException(admin, e.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : e.Message);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AdminUnreachableException(admin, $"no answer within {_timeout.TotalSeconds:0}s");
            }

            if (!response.Headers.Contains(AdminMarker.Header))
            {
                response.Dispose();
                throw AdminUnreachableException.NotAdmin(admin);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                throw await ProblemAsync(response, cancellationToken);
            }
        }
    }

    private static HttpClient Create(Uri admin, AdminTrust trust, TimeSpan timeout, string? token)
    {
        var http = new HttpClient(trust.CreateHandler()) { BaseAddress = admin, Timeout = timeout };
        if (!string.IsNullOrWhiteSpace(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        }

        return http;
    }

    private static async Task<AdminProblemException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
            var text = problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? string.Empty : string.Empty;
            return new AdminProblemException(
                status,
                problem.TryGetProperty("title", out var title) ? title.GetString() ?? response.ReasonPhrase ?? string.Empty : response.ReasonPhrase ?? string.Empty,
                text + AccessAdvice(status, problem));
        }
        catch (JsonException)
        {
            return new AdminProblemException(status, response.ReasonPhrase ?? "Error", $"the admin API answered {status} without problem details");
        }
    }
}
