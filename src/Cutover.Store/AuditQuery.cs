namespace Cutover.Store;

/// <summary>Which audit rows to read.</summary>
/// <param name="Migration">Only this migration's rows; null for all.</param>
/// <param name="Limit">At most this many rows. The default value is 100.</param>
/// <param name="BeforeId">Only rows older than this id, for paging.</param>
/// <param name="Action">Only rows of this action (e.g. <c>rollback</c>, to find the latest failure report).</param>
public sealed record AuditQuery(string? Migration = null, int Limit = 100, long? BeforeId = null, string? Action = null);
