using System.Data.Common;
using System.Globalization;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.CatchUp;

/// <summary>
/// The largest value of the job's change column, read when a pass starts: every row changed after
/// that read has a larger value (the column is a time or a version that only grows), so the next
/// catch-up pass copies the rows with a larger one. A time is only as fine as the clock that
/// wrote it, so for a time column the next pass starts a margin below the mark
/// (<see cref="CatchUpSettings.Margin"/>): a row written in the same tick as the mark, or by a
/// writer whose clock lags a little, is copied too.
/// </summary>
internal static class HighWaterMark
{
    // How SQLite keeps times, as text (its date functions write the first forms): a mark in one of
    // them is a time, and the value below it is written the same way so the text compares in time order.
    private static readonly string[] TextTimes =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.fff", "yyyy-MM-dd HH:mm:ss.ffffff",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.fff", "yyyy-MM-dd'T'HH:mm:ss.ffffff",
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'",
    ];

    /// <summary>The source's largest change value, encoded like a key (so it is bound back with its type), or null when no row has one.</summary>
    public static async Task<string?> ReadAsync(DbConnection source, BackfillJob job, string? from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var command = source.CreateCommand();
        command.CommandText = $"SELECT MAX(src.{BackfillDatabase.Quote(job.ChangeColumn!)}) FROM {from ?? $"({job.SourceQuery})"} AS src";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : KeyCodec.Encode([value]);
    }

    /// <summary>
    /// The value a pass reads the rows above: the stored mark, less <paramref name="margin"/> when
    /// it is a time; null when no mark was recorded (every row with a change value is then newer).
    /// </summary>
    public static object? Below(string? mark, TimeSpan margin) => mark is null ? null : KeyCodec.Decode(mark)[0] switch
    {
        DateTime time => time - Clamp(margin, time - DateTime.MinValue),
        DateTimeOffset time => time - Clamp(margin, time - DateTimeOffset.MinValue),
        string text => TextBelow(text, margin),
        var value => value,
    };

    /// <summary>A time kept as text, less the margin and written the same way; any other text as it is.</summary>
    private static string TextBelow(string text, TimeSpan margin)
    {
        foreach (var format in TextTimes)
        {
            if (DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                return (time - Clamp(margin, time - DateTime.MinValue)).ToString(format, CultureInfo.InvariantCulture);
            }
        }

        return text;
    }

    private static TimeSpan Clamp(TimeSpan margin, TimeSpan room) => margin < room ? margin : room;
}
