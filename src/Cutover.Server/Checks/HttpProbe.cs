using System.Collections.Concurrent;
using System.Net;
using Cutover.Core.Routing;
using Cutover.Core.Security;
using Cutover.Core.Values;
using Cutover.Kernel.Timing;
using Cutover.Server.Outbound;
using Microsoft.AspNetCore.WebUtilities;

namespace Cutover.Server.Checks;

/// <summary>
/// GETs one URL for a check and says in words what came of it. Whatever the other end does (refuse,
/// reset, stay silent past the timeout, answer with the wrong status) is an outcome, never an
/// exception, so one bad backend cannot break the report of the others.
/// </summary>
internal sealed class HttpProbe : IDisposable
{
    private readonly HttpMessageInvoker _plain = Client(null);
    private readonly ConcurrentDictionary<BackendTls, HttpMessageInvoker> _byTls = new();

    /// <summary>The status of the answer's headers (the body is not read), asked in <paramref name="protocol"/>, or why there was none.</summary>
    public async Task<(int? Status, string? Failure)> GetAsync(Uri url, BackendSettings backend, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = IoDeadline.After(timeout, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, url).Speaking(backend.Protocol);
        // A fresh connection each time: a pooled one would hide a backend that no longer accepts new ones. (HTTP/2 has no such header; its connection is pooled.)
        request.Headers.ConnectionClose = true;
        try
        {
            var client = backend.Tls is { } tls ? _byTls.GetOrAdd(tls, Client) : _plain;
            using var response = await client.SendAsync(request, deadline.Token);
            return ((int)response.StatusCode, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"gave no answer within {Duration.Format(timeout)}");
        }
        catch (HttpRequestException e)
        {
            return (null, $"failed: {(TransportFailure.Explain(e) is { } why ? "the backend " + why : Innermost(e).Message)}");
        }
    }

    /// <summary>A status as people read it: "503 Service Unavailable".</summary>
    public static string Describe(int status) => $"{status} {ReasonPhrases.GetReasonPhrase(status)}".TrimEnd();

    public void Dispose()
    {
        _plain.Dispose();
        foreach (var client in _byTls.Values)
        {
            client.Dispose();
        }
    }

    // A redirect is reported rather than followed: a health endpoint that redirects (to a login page, say) is not answering as one.
    private static HttpMessageInvoker Client(BackendTls? tls) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        SslOptions = BackendClient.TlsOptions(tls),
    });

    /// <summary>The root cause ("Connection refused", "The response ended prematurely."), which the outer "An error occurred while sending the request." hides.</summary>
    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
