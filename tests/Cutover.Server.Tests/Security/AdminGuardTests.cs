using System.Net;
using Cutover.Core.Security;
using Cutover.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Server.Tests.Security;

/// <summary>
/// The guard's loopback rule, which an admin API mapped on an application's own pipeline relies
/// on: without tokens, a call that reaches it over any other interface is refused before the endpoint runs.
/// </summary>
public sealed class AdminGuardTests
{
    [Theory]
    [InlineData("192.0.2.10", "192.0.2.2", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1", "192.0.2.2", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1", "127.0.0.1", HttpStatusCode.OK)]
    [InlineData("::ffff:127.0.0.1", "::ffff:127.0.0.1", HttpStatusCode.OK)]
    public async Task InvokeAsync_TokenlessAdminCalledOverAnInterface_LetsOnlyLoopbackThrough(string remote, string local, HttpStatusCode expected)
    {
        var guard = new AdminGuard(new AdminGuardSettings(AdminAuthMode.None, "127.0.0.1", null), new FailedAttempts(TimeProvider.System), NullLogger<AdminGuard>.Instance);
        var reached = false;
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/api/migrations";
        context.Request.Host = new HostString("127.0.0.1", 8081);
        context.Connection.LocalPort = 8081;
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = IPAddress.Parse(local);

        await guard.InvokeAsync(context, new AdminAccess(AdminPermission.ReadState), _ =>
        {
            reached = true;
            return Task.CompletedTask;
        });

        Assert.Equal(expected == HttpStatusCode.OK, reached);
        Assert.Equal((int)expected, context.Response.StatusCode);
    }
}
