using System.Text.Json;

namespace Cutover.Backfill.Checkpoints;

/// <summary>
/// The rows a job with <c>onError: skip</c> left out, kept with its checkpoint: how many in all,
/// and the first <see cref="ListLimit"/> keys with the reasons, so the list stays small however
/// many rows are skipped.
/// </summary>
public sealed record SkippedRows
{
    /// <summary>How many skipped rows are listed with their keys; the total counts every one.</summary>
    public const int ListLimit = 100;

    /// <summary>None skipped.</summary>
    public static SkippedRows None { get; } = new();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Rows skipped in all, over every run.</summary>
    public long Total { get; init; }

    /// <summary>The first rows skipped, up to <see cref="ListLimit"/>, in the order they were met.</summary>
    public IReadOnlyList<SkippedRow> Rows { get; init; } = [];

    /// <summary>The list as the store keeps it (<see cref="Store.BackfillRecord.Skipped"/>); none is null.</summary>
    public static SkippedRows Parse(string? stored) =>
        stored is null ? None : JsonSerializer.Deserialize<SkippedRows>(stored, Json) ?? None;

    /// <summary>The list for the store; null when none was skipped.</summary>
    public string? Encode() => Total == 0 ? null : JsonSerializer.Serialize(this, Json);

    /// <summary>This list and <paramref name="other"/> in one, as a split job adds up its ranges' lists into the job's.</summary>
    public SkippedRows Plus(SkippedRows other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Total == 0 ? this : new() { Total = Total + other.Total, Rows = [.. Rows.Concat(other.Rows).Take(ListLimit)] };
    }

    /// <summary>This list with <paramref name="rows"/> added.</summary>
    public SkippedRows With(IReadOnlyCollection<SkippedRow> rows) =>
        rows.Count == 0 ? this : new() { Total = Total + rows.Count, Rows = [.. Rows.Concat(rows).Take(ListLimit)] };
}
