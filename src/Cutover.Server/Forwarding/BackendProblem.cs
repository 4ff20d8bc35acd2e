using System.Text.Encodings.Web;
using System.Text.Json;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>
/// The RFC 7807 body of a 502/504 from the data plane. It names the migration and the side so the
/// person looking at the error knows which backend to check, but not the backend's address,
/// which end users have no business seeing.
/// </summary>
internal static class BackendProblem
{
    // Problem bodies are JSON for people as much as for programs: keep apostrophes readable.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(HttpContext context, string? migration, Side side, ForwarderError error)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var timeout = ForwarderErrors.OutcomeOf(error) == BackendOutcome.Timeout;
        var status = timeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
        var what = ForwarderErrors.Describe(error, context.GetForwarderErrorFeature()?.Exception);
        var detail = Detail(migration, side, what);
        var problem = new Dictionary<string, object?>
        {
            ["type"] = timeout ? "https://cutover.dev/problems/backend-timeout" : "https://cutover.dev/problems/backend-unavailable",
            ["title"] = timeout ? "Gateway Timeout" : "Bad Gateway",
            ["status"] = status,
            ["detail"] = detail,
            ["migration"] = migration,
            ["side"] = migration is null ? "fallback" : side.ToWire(),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        return JsonSerializer.SerializeAsync(context.Response.Body, problem, Json, context.RequestAborted);
    }

    /// <summary>The sentence that says which backend failed and how, in the problem body and in the log alike.</summary>
    public static string Detail(string? migration, Side side, string what) => migration is null
        ? $"The fallback backend {what}."
        : $"Migration '{migration}': the {side.ToWire()} backend {what}.";

    public static Task WriteNotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "application/problem+json";
        var problem = new Dictionary<string, object?>
        {
            ["type"] = "https://cutover.dev/problems/no-migration",
            ["title"] = "Not Found",
            ["status"] = 404,
            ["detail"] = "No migration matches this request and no fallback backend is configured.",
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, problem, Json, context.RequestAborted);
    }
}
