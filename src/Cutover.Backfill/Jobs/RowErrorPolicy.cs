namespace Cutover.Backfill.Jobs;

/// <summary>What a job does with a row it cannot write (<c>onError</c>): one the transform rejects, or a value the target column cannot take.</summary>
public enum RowErrorPolicy
{
    /// <summary>Stop at the batch with the row's key and why, keeping the checkpoint at the last good one. The default.</summary>
    Stop,

    /// <summary>Leave the row out, record its key and why with the checkpoint (<see cref="Checkpoints.SkippedRows"/>), and write the rest.</summary>
    Skip,
}
