using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>How the runner's messages write counts and statuses, the same in every refusal and failure.</summary>
internal static class MessageText
{
    /// <summary>A count of rows in a message, "1 row" or "12 rows".</summary>
    public static string Rows(long count) => count == 1 ? "1 row" : $"{count} rows";

    /// <summary>A status as the commands print it: <c>running</c>, <c>failed</c>, ...</summary>
    public static string Status(BackfillStatus status) => status.ToString().ToLowerInvariant();
}
