namespace Cutover.Backfill.Copying;

/// <summary>The time a backfill writes into the store.</summary>
internal static class StoreTime
{
    /// <summary>Now in whole milliseconds, the precision the store keeps, so a returned record equals the stored one.</summary>
    public static DateTimeOffset Now(TimeProvider time) => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}
