using BenchmarkDotNet.Attributes;
using Cutover.Core.Security;
using Cutover.Server.Security;
using Cutover.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Bench.Admin;

/// <summary>
/// One admin request through the guard: a read on a loopback admin without tokens (the baseline:
/// the host and role checks), the same read with a bearer token checked among 1,000 stored ones,
/// and the token check alone. The difference between the first two is what tokens add.
/// </summary>
[MemoryDiagnoser]
public class GuardBenchmarks
{
    private const int StoredTokens = 1_000;

    private static readonly AdminAccess Access = new(AdminPermission.ReadState);
    private static readonly RequestDelegate Endpoint = _ => Task.CompletedTask;
    private AdminGuard _withoutTokens = null!;
    private AdminGuard _withTokens = null!;
    private TokenRegistry _registry = null!;
    private string _authorization = null!;

    [GlobalSetup]
    public void Setup()
    {
        var secret = AccessToken.NewSecret();
        var tokens = Enumerable.Range(0, StoredTokens).Select(i => AccessToken.Generate()).ToList();
        var records = tokens.Select((t, i) => new TokenRecord($"token-{i}", AdminRole.Viewer, AccessToken.PrefixOf(t), AccessToken.Hash(secret, t), DateTimeOffset.UnixEpoch, null, null, "bench")).ToList();
        _registry = new TokenRegistry(new MemoryTokens(secret, records), TimeProvider.System);
        _registry.RefreshAsync(CancellationToken.None).GetAwaiter().GetResult();
        _authorization = "Bearer " + tokens[StoredTokens / 2];
        _withoutTokens = Guard(new AdminGuardSettings(AdminAuthMode.None, "127.0.0.1", null));
        _withTokens = Guard(new AdminGuardSettings(AdminAuthMode.Tokens, "127.0.0.1", _registry));
    }

    [Benchmark(Baseline = true, Description = "guard, no tokens (loopback)")]
    public Task WithoutTokens() => _withoutTokens.InvokeAsync(Request(authorization: null), Access, Endpoint);

    [Benchmark(Description = "guard, bearer token")]
    public Task WithToken() => _withTokens.InvokeAsync(Request(_authorization), Access, Endpoint);

    [Benchmark(Description = "token check alone")]
    public AdminCaller? CheckOnly() => _registry.Check(_authorization).Caller;

    private static AdminGuard Guard(AdminGuardSettings settings) =>
        new(settings, new FailedAttempts(TimeProvider.System), NullLogger<AdminGuard>.Instance);

    private static DefaultHttpContext Request(string? authorization)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/api/migrations";
        context.Request.Host = new HostString("127.0.0.1", 8081);
        context.Connection.LocalPort = 8081;
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        context.Connection.LocalIpAddress = System.Net.IPAddress.Loopback;
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context;
    }
}
