using Cutover.Core.Security;
using Cutover.Server.Control;
using Cutover.Server.Security;
using Cutover.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Cutover.Server.Admin;

/// <summary>
/// <c>/api/tokens</c>: an admin lists, makes and revokes the admin API's tokens. A new token's text
/// is in the answer to its creation and nowhere else; the store keeps its keyed hash.
/// </summary>
internal static class TokenEndpoints
{
    private const string CreateExample = """{"name": "ci-deploy", "role": "operator", "expires": "30d", "migrations": ["orders"], "reason": "deploy pipeline"}""";
    private const string RevokeExample = """{"reason": "leaked in a build log"}""";

    public static void MapTokens(this RouteGroupBuilder api)
    {
        api.MapGet("/tokens", async (MigrationControl control, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            return (await Store(control).GetTokensAsync(ct)).Select(t => TokenView.Of(t, now)).ToList();
        }).Allow(AdminPermission.Administer);

        api.MapPost("/tokens", async (HttpRequest request, MigrationControl control, [FromServices] TokenRegistry? tokens, TimeProvider time, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<TokenCreateRequest>(request, CreateExample, required: true, ct);
            var (parsed, problems) = TokenRequest.Parse(body!.Name, body.Role, body.Expires, body.Migrations, [.. control.Definition.Migrations.Select(d => d.Name)]);
            if (parsed is null)
            {
                return Results.Problem($"No token was made: {string.Join("; ", problems)}. Send a body like {CreateExample}.", statusCode: 400, title: "Invalid token request",
                    extensions: new Dictionary<string, object?> { ["errors"] = problems });
            }

            var caller = AdminEndpoints.Caller(request);
            var issued = await TokenIssuer.IssueAsync(Store(control), parsed, caller.Actor(body.Actor), body.Reason ?? string.Empty, time.GetUtcNow(), ct)
                ?? throw new ControlException(409, "Token exists", $"There is already a token named '{parsed.Name}'. Choose another name, or revoke it first with `cutover token revoke {parsed.Name}`.");
            await RefreshAsync(tokens, ct);
            return Results.Json(new TokenCreated(TokenView.Of(issued.Record, time.GetUtcNow()), issued.Token), statusCode: 201);
        }).Allow(AdminPermission.Administer);

        api.MapPost("/tokens/{name}/revoke", async (string name, HttpRequest request, MigrationControl control, [FromServices] TokenRegistry? tokens, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<ActionRequest>(request, RevokeExample, required: false, ct);
            if (!await Store(control).RevokeTokenAsync(name, AdminEndpoints.Caller(request).Actor(body?.Actor), body?.Reason ?? string.Empty, ct))
            {
                throw new ControlException(404, "Unknown token", $"There is no token named '{name}'. List the tokens with `cutover token list`.");
            }

            await RefreshAsync(tokens, ct);
            return Results.Ok(new { name, revoked = true });
        }).Allow(AdminPermission.Administer);
    }

    /// <summary>This replica follows a change of its own at once; the others within their refresh interval.</summary>
    private static Task RefreshAsync(TokenRegistry? tokens, CancellationToken cancellationToken) =>
        tokens?.RefreshAsync(cancellationToken) ?? Task.CompletedTask;

    private static ITokenStore Store(MigrationControl control) =>
        control.Store as ITokenStore
            ?? throw new ControlException(501, "No tokens in this store", $"The store {control.Store.Description} does not keep tokens; run Cutover on a SQLite or PostgreSQL store to use them.");
}
