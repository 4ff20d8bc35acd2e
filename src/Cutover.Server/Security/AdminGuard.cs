using System.Net;
using Cutover.Core.Security;
using Cutover.Server.Control;
using Cutover.Server.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Cutover.Server.Security;

/// <summary>
/// The admin API's door, wrapped around every endpoint <c>MapCutoverAdmin</c> maps, so it guards
/// them on whatever pipeline they are mapped, <c>cutover serve</c>'s own or an application's. It
/// marks every answer as the admin API's, limits request bodies, establishes the
/// <see cref="AdminCaller"/> (a token's, or the local user's on a loopback admin without tokens),
/// and refuses what the caller's role does not allow. A change must come from a program, not a
/// web page: JSON only, no foreign <c>Origin</c>, no cross-site fetch; and without tokens, the call
/// must come over loopback and its <c>Host</c> must name the admin itself, so neither another
/// machine nor a DNS-rebound page can reach it.
/// </summary>
internal sealed class AdminGuard(AdminGuardSettings settings, FailedAttempts failures, ILogger<AdminGuard> logger)
{
    /// <summary>The most bytes an admin request's body may hold; a larger one gets 413. <c>POST /api/apply</c> raises it for a config file.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// Puts <see cref="AdminMarker.Header"/> on every answer of <c>cutover serve</c>'s admin
    /// listener, errors and unknown paths included; registered first, so it runs before anything
    /// that could answer. On an application's pipeline the guard marks its own endpoints' answers.
    /// </summary>
    public static Task MarkAnswerAsync(HttpContext context, RequestDelegate next)
    {
        Mark(context.Response);
        return next(context);
    }

    /// <summary>
    /// Lets a call through to <paramref name="endpoint"/> only as <paramref name="access"/>, the
    /// endpoint's declared role, and the caller allow; an endpoint that declares no role is closed.
    /// </summary>
    public async Task InvokeAsync(HttpContext context, AdminAccess? access, RequestDelegate endpoint)
    {
        Mark(context.Response);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (access is null)
        {
            await RefuseAsync(context, 403, "No role declared", "This endpoint declares no role, so no one may call it.", null);
            return;
        }

        if (access.Permission == AdminPermission.Public)
        {
            await endpoint(context);
            return;
        }

        if (settings.Mode == AdminAuthMode.None && !OverLoopback(context.Connection))
        {
            await RefuseAsync(context, 403, "Not over loopback",
                $"This admin API takes no tokens, so it answers only calls made on this machine over loopback; this one came from {context.Connection.RemoteIpAddress} to {context.Connection.LocalIpAddress}. " +
                "Call it from this machine, or use adminAuth: tokens.", null);
            return;
        }

        if (settings.Mode == AdminAuthMode.None && HostProblem(context) is { } hostProblem)
        {
            await RefuseAsync(context, 403, "Foreign host", hostProblem, null);
            return;
        }

        if (Changes(context.Request) && BrowserProblem(context.Request) is { } browser)
        {
            await RefuseAsync(context, browser.Status, browser.Title, browser.Detail, null);
            return;
        }

        var caller = AdminCaller.Local;
        if (settings.Mode == AdminAuthMode.Tokens)
        {
            var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
            if (failures.IsLimited(client))
            {
                context.Response.Headers.RetryAfter = ((int)FailedAttempts.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteProblemAsync(context, 429, "Too many failed attempts",
                    $"This address failed to authenticate {FailedAttempts.Limit} times within {FailedAttempts.Window.TotalSeconds:0}s; wait, then call again with a valid token.", null);
                return;
            }

            var check = settings.Tokens!.Check(context.Request.Headers.Authorization.ToString());
            if (check.Caller is null)
            {
                var count = failures.Fail(client);
                if (count == FailedAttempts.Limit)
                {
                    CutoverLog.AdminThrottled(logger, client.ToString(), count, FailedAttempts.Window.TotalSeconds);
                }

                context.Response.Headers.WWWAuthenticate = "Bearer";
                await RefuseAsync(context, 401, "Token needed",
                    $"This admin API takes tokens and {check.Refusal}. Send 'Authorization: Bearer TOKEN' (the CLI: --token or CUTOVER_TOKEN); " +
                    "an admin makes one with `cutover token create NAME --role ROLE`.", null, logReason: count < FailedAttempts.Limit ? check.Refusal : null);
                return;
            }

            caller = check.Caller;
        }

        if (!caller.Role.Allows(access.Permission))
        {
            var roles = AdminRoles.AllowedFor(access.Permission);
            await RefuseAsync(context, 403, "Role too small",
                $"Token '{caller.Name}' has role {caller.Role.ToWire()}; {context.Request.Method} {context.Request.Path} needs role {roles}. " +
                $"Ask an admin for a token with `cutover token create NAME --role {roles.Split(' ')[0]}`.", roles);
            return;
        }

        var routeName = context.Request.RouteValues.TryGetValue("name", out var named) ? named as string : null;
        if (access.Permission is AdminPermission.Operate or AdminPermission.Report && routeName is string migration && !caller.MayChange(migration))
        {
            await RefuseAsync(context, 403, "Migration not allowed",
                $"Token '{caller.Name}' may change only {string.Join(", ", caller.Migrations!)}, not '{migration}'. Use a token made with --migrations {migration}, or one without a migration list.", null);
            return;
        }

        // A plan command on a lockstep member moves its whole group, so the token must be allowed every member.
        if (access.Permission is AdminPermission.Operate && routeName is string member
            && context.RequestServices.GetService<MigrationControl>()?.Definition.LockstepWith(member) is { Count: > 0 } group
            && group.Where(m => !caller.MayChange(m)).ToList() is { Count: > 0 } forbidden)
        {
            await RefuseAsync(context, 403, "Migration not allowed",
                $"'{member}' moves in lockstep with {string.Join(", ", group.Where(m => m != member))}, and token '{caller.Name}' may not change {string.Join(", ", forbidden)}. " +
                $"Use a token made with --migrations {string.Join(',', group)}, or one without a migration list.", null);
            return;
        }

        context.Features.Set(caller);
        await endpoint(context);
    }

    private static void Mark(HttpResponse response) => response.OnStarting(static state =>
    {
        ((HttpResponse)state).Headers[AdminMarker.Header] = AdminMarker.Value;
        return Task.CompletedTask;
    }, response);

    /// <summary>Whether a connection came from and to this machine's loopback, as every call to a tokenless admin must.</summary>
    private static bool OverLoopback(ConnectionInfo connection) => IsLoopback(connection.RemoteIpAddress) && IsLoopback(connection.LocalIpAddress);

    /// <summary>Loopback, also as a dual-mode socket shows an IPv4 peer (<c>::ffff:127.0.0.1</c>).</summary>
    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static bool Changes(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method);

    /// <summary>Why a change looks like it comes from a web page, or null when it comes from a program.</summary>
    private static (int Status, string Title, string Detail)? BrowserProblem(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (415, "JSON only",
                $"A change to the admin API must be sent with 'Content-Type: application/json' (got '{request.ContentType}'), so no web page can send it; send a JSON body such as {{\"reason\": \"...\"}}.");
        }

        if (request.Headers.TryGetValue("Sec-Fetch-Site", out var site) && site.ToString() is "cross-site" or "same-site")
        {
            return (403, "Cross-site request", "A web page on another site sent this change; the admin API takes changes only from programs such as the cutover CLI.");
        }

        if (request.Headers.Origin.ToString() is { Length: > 0 } origin && !SameOrigin(origin, request))
        {
            return (403, "Foreign origin", $"A web page from {origin} sent this change; the admin API takes changes only from programs such as the cutover CLI, or pages it serves itself.");
        }

        return null;
    }

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>Without tokens: why the <c>Host</c> is not this admin's own (a DNS-rebound page's name, another port), or null.</summary>
    private string? HostProblem(HttpContext context)
    {
        var host = context.Request.Host;
        var name = host.Host;
        var port = host.Port ?? (context.Request.IsHttps ? 443 : 80);
        var ours = LoopbackAddress.IsHost(name) || string.Equals(name, settings.AdminHost, StringComparison.OrdinalIgnoreCase);
        return ours && port == context.Connection.LocalPort
            ? null
            : $"The request names host '{host.Value}', but this admin API answers only as {settings.AdminHost}:{context.Connection.LocalPort} (or localhost); " +
              "a web page whose name points here is refused. Call it by its own address, or use adminAuth: tokens behind a proxy that rewrites Host.";
    }

    /// <summary>Writes the refusal, and logs it with <paramref name="logReason"/> (never the token), or with the title when none is given.</summary>
    private Task RefuseAsync(HttpContext context, int status, string title, string detail, string? requiredRole, string? logReason = "")
    {
        if (logReason is not null)
        {
            CutoverLog.AdminRefused(
                logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Connection.RemoteIpAddress?.ToString() ?? "?", logReason.Length > 0 ? logReason : title);
        }

        return WriteProblemAsync(context, status, title, detail, requiredRole);
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string title, string detail, string? requiredRole)
    {
        var extensions = requiredRole is null ? null : new Dictionary<string, object?> { ["requiredRole"] = requiredRole };
        return Results.Problem(detail, statusCode: status, title: title, extensions: extensions).ExecuteAsync(context);
    }
}
