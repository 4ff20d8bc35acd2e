using Cutover.Core.Security;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Store;
using Cutover.Store.Opening;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Security;

/// <summary>
/// A Cutover with <c>adminAuth: tokens</c> whose store holds a token of each role, made straight on
/// the store before it starts, as <c>cutover token create --store</c> makes the first one.
/// </summary>
internal static class TokenFixture
{
    public const string Migrations = """
          - name: orders
            match: { pathPrefix: /orders }
            legacy: http://127.0.0.1:9
            candidate: http://127.0.0.1:9
            mode: canary
            weight: 10
          - name: billing-tax
            kind: code
          - name: billing-fx
            kind: code
        """;

    /// <summary>Makes tokens on the store at <paramref name="location"/>; returns each token's text by name.</summary>
    public static async Task<Dictionary<string, string>> IssueAsync(string location, params TokenRequest[] requests)
    {
        await using var store = ControlStoreFactory.CreateTokenStore(location, TimeProvider.System);
        await store.InitializeAsync();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            var issued = await TokenIssuer.IssueAsync(store, request, "test", string.Empty, TimeProvider.System.GetUtcNow(), CancellationToken.None);
            tokens[request.Name] = issued!.Value.Token;
        }

        return tokens;
    }

    /// <summary>One token per role, named after it.</summary>
    public static TokenRequest[] EveryRole() =>
        [.. Enum.GetValues<AdminRole>().Select(r => new TokenRequest(r.ToWire(), r, null, null))];

    /// <summary>
    /// Starts Cutover with tokens on a fresh SQLite store that already holds <paramref name="requests"/>,
    /// serving <paramref name="migrations"/> (<see cref="Migrations"/> when null) with <paramref name="topLevel"/> added at the file's level.
    /// </summary>
    public static async Task<TokenServer> StartAsync(TokenRequest[] requests, CutoverHostOptions? options = null, string? migrations = null, string? topLevel = null)
    {
        var folder = Directory.CreateTempSubdirectory("cutover-tokens-").FullName;
        var store = "sqlite:" + Path.Combine(folder, "cutover.db");
        var tokens = await IssueAsync(store, requests);
        var server = await ProxyUnderTest.StartAsync(migrations ?? Migrations, options: options ?? new CutoverHostOptions { LogLevel = LogLevel.Warning }, store: store,
            topLevel: topLevel is null ? "adminAuth: tokens" : $"adminAuth: tokens\n{topLevel}");
        return new TokenServer(server, tokens, folder);
    }

    /// <summary>A request to the admin API with a bearer token (none when null).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}

/// <summary>A Cutover with tokens, the tokens' texts by name, and the folder of its store, removed on dispose.</summary>
internal sealed record TokenServer(ProxyUnderTest Server, Dictionary<string, string> Tokens, string Folder) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
