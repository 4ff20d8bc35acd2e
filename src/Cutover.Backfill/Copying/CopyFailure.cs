using System.Data.Common;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Targets;

namespace Cutover.Backfill.Copying;

/// <summary>
/// The errors that fail a copy, recorded on the job with the way to continue, as opposed to
/// cancellation and bugs, which are thrown as they are.
/// </summary>
internal static class CopyFailure
{
    /// <summary>An error of the data or the databases: a database's error, a rejected row, a value that does not convert, a connection lost past its retries.</summary>
    public static bool InCopy(Exception e) => e is DbException or RowRejectedException or InvalidCastException or BackfillDatabaseException;

    /// <summary>An error that fails a run: one <see cref="InCopy"/>, or a run that failed already (a lost hold, a failed worker).</summary>
    public static bool FailsRun(Exception e) => InCopy(e) || e is BackfillFailedException;
}
