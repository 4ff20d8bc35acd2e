using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cutover.Backfill.Verifying;

/// <summary>
/// The latest <c>cutover backfill verify</c> of a job as the store keeps it and <c>status</c>, the
/// admin API and the dashboard show it: when, whether the target was clean, the counts, and the
/// first differing keys. The keys listed are cut so the whole stays under <see cref="MaxBytes"/>,
/// since it is read with every job listing; the counts are always complete.
/// </summary>
/// <param name="At">When the verify ended.</param>
/// <param name="Identical">Whether the target held exactly the source's mapped rows (after the repair, with one).</param>
/// <param name="Repaired">Whether it ran with <c>--repair</c>.</param>
/// <param name="JobStatus">The job's status when verified (rows after an unfinished job's checkpoint count as missing).</param>
/// <param name="SourceRows">The source's mapped rows.</param>
/// <param name="TargetRows">The target's rows before any repair.</param>
/// <param name="Missing">Rows the target lacked.</param>
/// <param name="Extra">Rows only the target had.</param>
/// <param name="Different">Rows whose values differed.</param>
/// <param name="Recopied">Source rows the repair copied again.</param>
/// <param name="Deleted">Extra target rows the repair deleted.</param>
/// <param name="Remaining">Rows still differing at the end.</param>
/// <param name="FirstDifferences">The first differing rows in key order, as many as fit in <see cref="MaxBytes"/>.</param>
public sealed record VerifyResult(
    DateTimeOffset At,
    bool Identical,
    bool Repaired,
    string JobStatus,
    long SourceRows,
    long TargetRows,
    long Missing,
    long Extra,
    long Different,
    long Recopied,
    long Deleted,
    long Remaining,
    IReadOnlyList<RowDifference> FirstDifferences)
{
    /// <summary>The most the encoded result takes in the store, in UTF-8 bytes: 4 KiB, a few dozen keys.</summary>
    public const int MaxBytes = 4096;

    /// <summary>Target rows newer than the source's by the job's <c>onConflict.keepNewer</c> column: not differences (0 in results stored before it was counted).</summary>
    public long Ahead { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The result of <paramref name="report"/>, ended at <paramref name="at"/>, with as many of its listed rows as fit.</summary>
    public static VerifyResult Of(VerifyReport report, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(report);
        var result = new VerifyResult(
            at,
            report.Identical,
            report.Repaired,
            report.JobStatus.ToString().ToLowerInvariant(),
            report.SourceRows,
            report.TargetRows,
            report.Missing,
            report.Extra,
            report.Different,
            report.Recopied,
            report.Deleted,
            report.Remaining,
            [])
        {
            Ahead = report.Ahead,
        };
        var rows = new List<RowDifference>();
        foreach (var row in report.MismatchedChunks.SelectMany(c => c.Rows))
        {
            rows.Add(row);
            if (Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(result with { FirstDifferences = rows }, Json)) > MaxBytes)
            {
                rows.RemoveAt(rows.Count - 1);
                break;
            }
        }

        return result with { FirstDifferences = rows };
    }

    /// <summary>The result as the store keeps it (<see cref="Store.BackfillRecord.LastVerify"/>); null for a job never verified.</summary>
    public static VerifyResult? Parse(string? stored) =>
        stored is null ? null : JsonSerializer.Deserialize<VerifyResult>(stored, Json);

    /// <summary>The result for the store, at most <see cref="MaxBytes"/> long.</summary>
    public string Encode() => JsonSerializer.Serialize(this, Json);
}
