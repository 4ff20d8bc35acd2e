using Cutover.Core.Fleet;
using Cutover.Core.Routing;
using Cutover.Core.State;
using Cutover.Server.Control;
using Cutover.Store;

namespace Cutover.Server.Fleet;

/// <summary>
/// Reads what the fleet summary counts: each migration's state as this process routes by it, and
/// its whole audit log from the store, which every replica writes to, so the summary is the same
/// whichever replica is asked.
/// </summary>
internal static class FleetReader
{
    // Rows read per call: a migration's log is read page by page, newest first, so a long one costs several small reads rather than one large one.
    private const int PageSize = 1000;

    /// <summary>The members of the fleet among <paramref name="migrations"/>, in the order given.</summary>
    public static async Task<IReadOnlyList<FleetMember>> ReadAsync(
        MigrationControl control, IEnumerable<MigrationDefinition> migrations, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var members = new List<FleetMember>();
        foreach (var migration in migrations)
        {
            var rows = await AuditOfAsync(control.Store, migration.Name, cancellationToken);
            members.Add(new FleetMember(migration.Name, migration.Group, migration.Priority, control.Get(migration.Name),
                MigrationHistory.Of(rows, migration.Plan, now)) { Lockstep = migration.Lockstep });
        }

        return members;
    }

    private static async Task<List<AuditEntry>> AuditOfAsync(IMigrationStateStore store, string name, CancellationToken cancellationToken)
    {
        var rows = new List<AuditEntry>();
        while (true)
        {
            var page = await store.GetAuditAsync(new AuditQuery(name, PageSize, rows.Count == 0 ? null : rows[^1].Id), cancellationToken);
            rows.AddRange(page);
            if (page.Count < PageSize)
            {
                return rows;
            }
        }
    }
}
