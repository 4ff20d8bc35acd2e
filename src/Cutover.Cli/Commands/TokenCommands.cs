using System.CommandLine;
using System.Text.Json;
using Cutover.Cli.AdminApi;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Core.Security;
using Cutover.Server.Admin;
using Cutover.Server.Security;
using Cutover.Store;
using Cutover.Store.Opening;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover token create|list|revoke</c>: the admin API's tokens. Through the admin API with an
/// admin token, or with <c>--store</c> straight on the control store, which is how the first admin
/// token is made: whoever holds the store holds the keys.
/// </summary>
internal static class TokenCommands
{
    // The actor of changes made on the store directly; a reserved name, so no token can pose as it.
    private const string StoreActor = "store";

    public static Command Create(CliOptions options, CliOutput output)
    {
        var store = new Option<string?>("--store")
        {
            Description = "Work straight on the control store (sqlite:PATH or a PostgreSQL connection string) instead of through the admin API: how the first admin token is made.",
            Recursive = true,
        };
        var command = new Command("token", "Make, list and revoke the admin API's tokens.") { store };
        command.Subcommands.Add(CreateCommand(options, output, store));
        command.Subcommands.Add(ListCommand(options, output, store));
        command.Subcommands.Add(RevokeCommand(options, output, store));
        return command;
    }

    private static Command CreateCommand(CliOptions options, CliOutput output, Option<string?> store)
    {
        var name = new Argument<string>("name") { Description = "The token's name; the audit log shows it as the actor of the token's changes." };
        var role = new Option<string>("--role") { Description = $"What the token may do: {AdminRoles.List}.", Required = true };
        var expires = new Option<string?>("--expires") { Description = $"How long it works: {TokenRequest.ExpiryForms}. The default is until revoked." };
        var migrations = new Option<string[]?>("--migrations")
        {
            Description = "The only migrations it may change or report on, comma-separated. The default is all.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("create", "Make a token; it is shown once, and only its hash is kept.") { name, role, expires, migrations, options.Reason, options.Json };
        command.SetAction(async (parse, ct) =>
        {
            var (request, problems) = TokenRequest.Parse(
                parse.GetValue(name), parse.GetValue(role), parse.GetValue(expires), parse.GetValue(migrations) is { Length: > 0 } listed ? listed : null);
            if (request is null)
            {
                foreach (var problem in problems)
                {
                    await output.Error.WriteLineAsync($"error: {problem}");
                }

                return ExitCodes.BadInput;
            }

            if (parse.GetValue(store) is { } location)
            {
                return await OnStoreAsync(location, output, async tokens =>
                {
                    var issued = await TokenIssuer.IssueAsync(
                        tokens, request, Actor(), parse.GetValue(options.Reason) ?? string.Empty, TimeProvider.System.GetUtcNow(), ct);
                    if (issued is not { } made)
                    {
                        await output.Error.WriteLineAsync($"error: There is already a token named '{request.Name}' in {tokens.Description}. Choose another name, or revoke it first with `cutover token revoke {request.Name} --store ...`.");
                        return ExitCodes.Failed;
                    }

                    return await ShowCreatedAsync(new TokenCreated(TokenView.Of(made.Record, made.Record.CreatedAt), made.Token), parse.GetValue(options.Json), output);
                });
            }

            return await AdminAction.Create(options, output, async (_, client, token) =>
            {
                var body = new { name = request.Name, role = request.Role.ToWire(), expires = parse.GetValue(expires), migrations = request.Migrations, reason = parse.GetValue(options.Reason) };
                return await ShowCreatedAsync(await client.PostAsync<TokenCreated>("api/tokens", body, token), parse.GetValue(options.Json), output);
            })(parse, ct);
        });
        return command;
    }

    private static Command ListCommand(CliOptions options, CliOutput output, Option<string?> store)
    {
        var command = new Command("list", "List the tokens: name, role, visible prefix, migrations and expiry; never the tokens themselves.") { options.Json };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(store) is { } location)
            {
                return await OnStoreAsync(location, output, async tokens =>
                {
                    var now = TimeProvider.System.GetUtcNow();
                    return await ShowListAsync([.. (await tokens.GetTokensAsync(ct)).Select(t => TokenView.Of(t, now))], parse.GetValue(options.Json), output);
                });
            }

            return await AdminAction.Create(options, output, async (_, client, token) =>
                await ShowListAsync(await client.GetAsync<List<TokenView>>("api/tokens", token), parse.GetValue(options.Json), output))(parse, ct);
        });
        return command;
    }

    private static Command RevokeCommand(CliOptions options, CliOutput output, Option<string?> store)
    {
        var name = new Argument<string>("name") { Description = "The token to revoke; every replica refuses it within a second." };
        var command = new Command("revoke", "Revoke a token.") { name, options.Reason, options.Json };
        command.SetAction(async (parse, ct) =>
        {
            var tokenName = parse.GetValue(name)!;
            var reason = parse.GetValue(options.Reason) ?? string.Empty;
            if (parse.GetValue(store) is { } location)
            {
                return await OnStoreAsync(location, output, async tokens =>
                {
                    if (!await tokens.RevokeTokenAsync(tokenName, Actor(), reason, ct))
                    {
                        await output.Error.WriteLineAsync($"error: There is no token named '{tokenName}' in {tokens.Description}. List them with `cutover token list --store ...`.");
                        return ExitCodes.Failed;
                    }

                    return await ShowRevokedAsync(tokenName, parse.GetValue(options.Json), output);
                });
            }

            return await AdminAction.Create(options, output, async (_, client, token) =>
            {
                await client.PostAsync<JsonElement>($"api/tokens/{Uri.EscapeDataString(tokenName)}/revoke", new { reason }, token);
                return await ShowRevokedAsync(tokenName, parse.GetValue(options.Json), output);
            })(parse, ct);
        });
        return command;
    }

    private static string Actor() => new AdminCaller(StoreActor, AdminRole.Admin, null).Actor(Environment.UserName);

    private static async Task<int> ShowRevokedAsync(string name, bool json, CliOutput output)
    {
        await output.WriteResultAsync(json, new { name, revoked = true }, TerminalText.Clean($"Token '{name}' revoked."));
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowCreatedAsync(TokenCreated created, bool json, CliOutput output)
    {
        if (json)
        {
            await output.Out.WriteLineAsync(JsonOutput.Serialize(created));
            return ExitCodes.Ok;
        }

        var view = created.Token;
        var scope = view.Migrations is { } migrations ? $"migrations {string.Join(", ", migrations)}" : "every migration";
        var expiry = view.ExpiresAt is { } expires ? $"expires {CliFormat.Time(expires)} UTC" : "never expires";
        await output.Out.WriteLineAsync($"Token '{view.Name}' made: role {view.Role}, {scope}, {expiry}. It is shown this once; keep it in a secret store:");
        await output.Out.WriteLineAsync();
        await output.Out.WriteLineAsync(created.Secret);
        await output.Out.WriteLineAsync();
        await output.Out.WriteLineAsync($"Use it with --token or {CliOptions.TokenVariable}, or send 'Authorization: Bearer TOKEN'.");
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowListAsync(IReadOnlyList<TokenView> tokens, bool json, CliOutput output)
    {
        if (json)
        {
            await output.Out.WriteLineAsync(JsonOutput.Serialize(tokens));
            return ExitCodes.Ok;
        }

        if (tokens.Count == 0)
        {
            await output.Out.WriteLineAsync("No tokens. Make one with `cutover token create NAME --role ROLE`.");
            return ExitCodes.Ok;
        }

        var table = new CliTable(
            new CliColumn("NAME", Shrinks: true),
            new CliColumn("ROLE"),
            new CliColumn("PREFIX", Keep: 2),
            new CliColumn("MIGRATIONS", Keep: 1, Shrinks: true),
            new CliColumn("EXPIRES (UTC)", Keep: 1),
            new CliColumn("CREATED (UTC)", Keep: 3),
            new CliColumn("BY", Keep: 3, Shrinks: true));
        foreach (var token in tokens)
        {
            table.Add(
                token.Name,
                token.Role,
                token.Prefix,
                token.Migrations is { } migrations ? string.Join(",", migrations) : "all",
                token.ExpiresAt is { } expires ? CliFormat.Time(expires) + (token.Expired ? " (expired)" : string.Empty) : "never",
                CliFormat.Time(token.CreatedAt),
                token.CreatedBy);
        }

        table.Write(output);
        return ExitCodes.Ok;
    }

    /// <summary>Opens the store named by --store and turns its failures into one line and an exit code.</summary>
    private static async Task<int> OnStoreAsync(string location, CliOutput output, Func<ITokenStore, Task<int>> action)
    {
        try
        {
            await using var store = ControlStoreFactory.CreateTokenStore(location, TimeProvider.System);
            await store.InitializeAsync();
            return await action(store);
        }
        catch (StoreUnavailableException e)
        {
            await output.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
