using System.Data.Common;
using Cutover.Core.Security;
using Cutover.Core.State;

namespace Cutover.Store.Sql;

/// <summary>The admin API's tokens and the secret they are hashed under (schema step 11); making and revoking one writes an audit row.</summary>
internal sealed class SqlTokens(SqlDatabase database, SqlAuditLog audit)
{
    private const string TokenColumns = "name, role, prefix, hash, created_at, expires_at, migrations, created_by";
    private const string TokenSecretName = "token-hmac";

    private readonly SqlDialect dialect = database.Dialect;

    /// <inheritdoc cref="ITokenStore.GetTokenSecretAsync"/>
    public Task<byte[]> GetTokenSecretAsync(CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            if (await ReadSecretAsync(connection, ct) is { } stored)
            {
                return stored;
            }

            // Replicas making the first secret at once: one insert wins, and every one reads the winner's.
            await connection.ExecuteAsync(
                null,
                "INSERT INTO store_secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING",
                ct,
                ("name", TokenSecretName),
                ("value", Convert.ToBase64String(AccessToken.NewSecret())));
            return await ReadSecretAsync(connection, ct) ?? throw new InvalidDataException($"The store {database.Description} lost its token secret while it was being made.");
        }, cancellationToken);

    /// <inheritdoc cref="ITokenStore.GetTokensAsync"/>
    public Task<IReadOnlyList<TokenRecord>> GetTokensAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<TokenRecord>>(
            async (connection, ct) => await connection.QueryAsync($"SELECT {TokenColumns} FROM tokens ORDER BY name", ReadToken, ct),
            cancellationToken);

    /// <inheritdoc cref="ITokenStore.AddTokenAsync"/>
    public Task<bool> AddTokenAsync(TokenRecord token, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            var exists = await connection.ScalarAsync(transaction, "SELECT COUNT(*) FROM tokens WHERE name = @name", ct, ("name", token.Name));
            if (Convert.ToInt64(exists, System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                return false;
            }

            await connection.ExecuteAsync(
                transaction,
                $"INSERT INTO tokens ({TokenColumns}) VALUES (@name, @role, @prefix, @hash, @created_at, @expires_at, @migrations, @created_by)",
                ct,
                ("name", token.Name),
                ("role", token.Role.ToWire()),
                ("prefix", token.Prefix),
                ("hash", token.Hash),
                ("created_at", dialect.ToDatabase(SqlDialect.ToMilliseconds(token.CreatedAt))),
                ("expires_at", token.ExpiresAt is { } expires ? dialect.ToDatabase(SqlDialect.ToMilliseconds(expires)) : null),
                ("migrations", token.Migrations is { } migrations ? string.Join(',', migrations) : null),
                ("created_by", token.CreatedBy));
            await WriteAuditAsync(connection, transaction, token.CreatedBy, "token-create", string.Empty, Describe(token), reason, ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc cref="ITokenStore.RevokeTokenAsync"/>
    public Task<bool> RevokeTokenAsync(string name, string actor, string reason, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            var token = (await connection.QueryAsync(transaction, $"SELECT {TokenColumns} FROM tokens WHERE name = @name", ReadToken, ct, ("name", name))).FirstOrDefault();
            if (token is null)
            {
                return false;
            }

            await connection.ExecuteAsync(transaction, "DELETE FROM tokens WHERE name = @name", ct, ("name", name));
            await WriteAuditAsync(connection, transaction, actor, "token-revoke", Describe(token), string.Empty, reason, ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);

    private static string Describe(TokenRecord token) =>
        $"token={token.Name} role={token.Role.ToWire()} prefix={token.Prefix}" +
        (token.Migrations is { } migrations ? $" migrations={string.Join(',', migrations)}" : string.Empty) +
        (token.ExpiresAt is { } expires ? $" expires={expires:yyyy-MM-ddTHH:mm:ssZ}" : string.Empty);

    private Task<int> WriteAuditAsync(
        DbConnection connection, DbTransaction transaction, string actor, string action, string before, string after, string reason, CancellationToken cancellationToken) =>
        audit.WriteAsync(connection, transaction, new AuditEntry(0, database.Now(), string.Empty, actor, action, before, after, reason), cancellationToken);

    private static async Task<byte[]?> ReadSecretAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var value = (await connection.QueryAsync(
            "SELECT value FROM store_secrets WHERE name = @name", reader => reader.GetString(0), cancellationToken, ("name", TokenSecretName))).FirstOrDefault();
        return value is null ? null : Convert.FromBase64String(value);
    }

    private TokenRecord ReadToken(DbDataReader reader)
    {
        var name = reader.GetString(0);
        if (!AdminRoles.TryParse(reader.GetString(1), out var role))
        {
            throw new InvalidDataException(
                $"The store {database.Description} holds role '{reader.GetString(1)}' for token '{name}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
        }

        return new TokenRecord(
            name,
            role,
            reader.GetString(2),
            reader.GetString(3),
            dialect.ReadTime(reader, 4),
            reader.IsDBNull(5) ? null : dialect.ReadTime(reader, 5),
            reader.IsDBNull(6) ? null : reader.GetString(6).Split(','),
            reader.GetString(7));
    }
}
