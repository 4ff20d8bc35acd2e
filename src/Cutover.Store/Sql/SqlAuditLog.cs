using System.Data.Common;
using Cutover.Core.State;

namespace Cutover.Store.Sql;

/// <summary>
/// The audit log: a row for every change of a migration's state and every token made or revoked,
/// written by the role that makes the change in the change's own transaction, and read newest first.
/// </summary>
internal sealed class SqlAuditLog(SqlDatabase database)
{
    private const int MaxAuditRows = 10_000;
    private const string AuditColumns = "id, time, migration, actor, action, before, after, reason, evidence";

    private readonly SqlDialect dialect = database.Dialect;

    /// <summary>Audit rows, newest first, at most <see cref="MaxAuditRows"/> of them.</summary>
    public Task<IReadOnlyList<AuditEntry>> GetAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<string>(2);
        var parameters = new List<(string, object?)>(3) { ("limit", (long)Math.Clamp(query.Limit, 1, MaxAuditRows)) };
        if (query.Migration is not null)
        {
            conditions.Add("migration = @migration");
            parameters.Add(("migration", query.Migration));
        }

        if (query.BeforeId is { } beforeId)
        {
            conditions.Add("id < @before_id");
            parameters.Add(("before_id", beforeId));
        }

        if (query.Action is not null)
        {
            conditions.Add("action = @action");
            parameters.Add(("action", query.Action));
        }

        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        var sql = $"SELECT {AuditColumns} FROM audit{where} ORDER BY id DESC LIMIT @limit";
        return database.RunAsync<IReadOnlyList<AuditEntry>>(
            async (connection, ct) => await connection.QueryAsync(
                sql,
                reader => new AuditEntry(
                    reader.GetInt64(0),
                    dialect.ReadTime(reader, 1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.GetString(6),
                    reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8)),
                ct,
                [.. parameters]),
            cancellationToken);
    }

    /// <summary>Writes <paramref name="entry"/> (its id is the row's, so the one given is not used) in the change's <paramref name="transaction"/>.</summary>
    public Task<int> WriteAsync(DbConnection connection, DbTransaction transaction, AuditEntry entry, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            transaction,
            "INSERT INTO audit (time, migration, actor, action, before, after, reason, evidence) VALUES (@time, @migration, @actor, @action, @before, @after, @reason, @evidence)",
            cancellationToken,
            ("time", dialect.ToDatabase(entry.Time)),
            ("migration", entry.Migration),
            ("actor", entry.Actor),
            ("action", entry.Action),
            ("before", entry.Before),
            ("after", entry.After),
            ("reason", entry.Reason),
            ("evidence", entry.Evidence));
}
