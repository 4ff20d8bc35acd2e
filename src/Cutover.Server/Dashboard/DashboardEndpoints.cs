using Cutover.Core.Security;
using Cutover.Server.Admin;
using Cutover.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Cutover.Server.Dashboard;

/// <summary>
/// The dashboard: a page at <c>/</c> and its scripts and styles under <c>/ui/</c>, served by the
/// admin listener. The files hold no data, so anyone who reaches the port may load them; every
/// figure the page shows comes from the admin API with the caller's own rights. The headers make
/// the page run only its own files (no inline script or style, nothing from another origin) and
/// never inside another site's frame.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>
    /// The page's Content-Security-Policy: its own scripts, styles and API only; no inline code, so
    /// text that reaches the page from a migration (a reason, a sample's body) can never run.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Maps the dashboard on <paramref name="endpoints"/> at <c>/</c> and <c>/ui/{file}</c>, behind
    /// the same guard as the admin API. <c>cutover serve</c> maps it on its admin listener; an
    /// application that embeds Cutover may map it where it maps <c>MapCutoverAdmin</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapCutoverDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var dashboard = AdminEndpoints.Guarded(endpoints);
        dashboard.MapGet("/", (HttpContext context) => Serve(context, "index.html")).Allow(AdminPermission.Public);
        dashboard.MapGet("/ui/{file}", (string file, HttpContext context) => Serve(context, file)).Allow(AdminPermission.Public);
        return dashboard;
    }

    private static IResult Serve(HttpContext context, string file)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (DashboardAssets.Embedded.Find(file) is not { } asset)
        {
            return Results.Problem($"The dashboard has no file '{file}'; open the dashboard at / instead.", statusCode: 404, title: "No such dashboard file");
        }

        // Revalidated on every load, so a new Cutover's page is never mixed with an old one's cached modules; unchanged files cost a 304.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Any(tag => tag == asset.ETag || tag == "*"))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
