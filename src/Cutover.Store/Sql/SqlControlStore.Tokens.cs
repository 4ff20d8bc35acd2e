using System.Data.Common;
using Cutover.Core.Security;

namespace Cutover.Store.Sql;

/// <summary>The admin API's tokens and the secret they are hashed under (schema step 11).</summary>
internal abstract partial class SqlControlStore : ITokenStore
{
    private const string TokenColumns = "name, role, prefix, hash, created_at, expires_at, migrations, created_by";
    private const string TokenSecretName = "token-hmac";

    /// <inheritdoc />
    public Task<byte[]> GetTokenSecretAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async (connection, ct) =>
        {
            if (await ReadSecretAsync(connection, ct) is { } stored)
            {
                return stored;
            }

            // Replicas making the first secret at once: one insert wins, and every one reads the winner's.
            await ExecuteAsync(
                connection,
                null,
                "INSERT INTO store_secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING",
                ct,
                ("name", TokenSecretName),
                ("value", Convert.ToBase64String(AccessToken.NewSecret())));
            return await ReadSecretAsync(connection, ct) ?? throw new InvalidDataException($"The store {Description} lost its token secret while it was being made.");
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRecord>> GetTokensAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<TokenRecord>>(
            async (connection, ct) => await QueryAsync(connection, $"SELECT {TokenColumns} FROM tokens ORDER BY name", ReadToken, ct),
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> AddTokenAsync(TokenRecord token, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return RunAsync(async (connection, ct) =>
        {
            await using var transaction = await BeginWriteAsync(connection, ct);
            var exists = await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM tokens WHERE name = @name", ct, ("name", token.Name));
            if (Convert.ToInt64(exists, System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                return false;
            }

            await ExecuteAsync(
                connection,
                transaction,
                $"INSERT INTO tokens ({TokenColumns}) VALUES (@name, @role, @prefix, @hash, @created_at, @expires_at, @migrations, @created_by)",
                ct,
                ("name", token.Name),
                ("role", token.Role.ToWire()),
                ("prefix", token.Prefix),
                ("hash", token.Hash),
                ("created_at", ToDatabase(ToMilliseconds(token.CreatedAt))),
                ("expires_at", token.ExpiresAt is { } expires ? ToDatabase(ToMilliseconds(expires)) : null),
                ("migrations", token.Migrations is { } migrations ? string.Join(',', migrations) : null),
                ("created_by", token.CreatedBy));
            await InsertTokenAuditAsync(connection, transaction, token.CreatedBy, "token-create", string.Empty, Describe(token), reason, ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string name, string actor, string reason, CancellationToken cancellationToken = default) =>
        RunAsync(async (connection, ct) =>
        {
            await using var transaction = await BeginWriteAsync(connection, ct);
            var token = (await QueryAsync(connection, transaction, $"SELECT {TokenColumns} FROM tokens WHERE name = @name", ReadToken, ct, ("name", name))).FirstOrDefault();
            if (token is null)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, "DELETE FROM tokens WHERE name = @name", ct, ("name", name));
            await InsertTokenAuditAsync(connection, transaction, actor, "token-revoke", Describe(token), string.Empty, reason, ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);

    private static string Describe(TokenRecord token) =>
        $"token={token.Name} role={token.Role.ToWire()} prefix={token.Prefix}" +
        (token.Migrations is { } migrations ? $" migrations={string.Join(',', migrations)}" : string.Empty) +
        (token.ExpiresAt is { } expires ? $" expires={expires:yyyy-MM-ddTHH:mm:ssZ}" : string.Empty);

    private Task<int> InsertTokenAuditAsync(
        DbConnection connection, DbTransaction transaction, string actor, string action, string before, string after, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO audit (time, migration, actor, action, before, after, reason, evidence) VALUES (@time, @migration, @actor, @action, @before, @after, @reason, NULL)",
            cancellationToken,
            ("time", ToDatabase(Now())),
            ("migration", string.Empty),
            ("actor", actor),
            ("action", action),
            ("before", before),
            ("after", after),
            ("reason", reason));

    private static async Task<byte[]?> ReadSecretAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var value = (await QueryAsync(
            connection, "SELECT value FROM store_secrets WHERE name = @name", reader => reader.GetString(0), cancellationToken, ("name", TokenSecretName))).FirstOrDefault();
        return value is null ? null : Convert.FromBase64String(value);
    }

    private TokenRecord ReadToken(DbDataReader reader)
    {
        var name = reader.GetString(0);
        if (!AdminRoles.TryParse(reader.GetString(1), out var role))
        {
            throw new InvalidDataException(
                $"The store {Description} holds role '{reader.GetString(1)}' for token '{name}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
        }

        return new TokenRecord(
            name,
            role,
            reader.GetString(2),
            reader.GetString(3),
            ReadTime(reader, 4),
            reader.IsDBNull(5) ? null : ReadTime(reader, 5),
            reader.IsDBNull(6) ? null : reader.GetString(6).Split(','),
            reader.GetString(7));
    }
}
