namespace Cutover.Backfill.Jobs;

/// <summary>What a job does with a row it cannot write (<c>onError</c>). Only <see cref="Stop"/> acts yet; <see cref="Skip"/> is accepted and reserved.</summary>
public enum RowErrorPolicy
{
    /// <summary>Stop at the batch, keeping the checkpoint at the last good one. The default.</summary>
    Stop,

    /// <summary>Record the row's key and go on (reserved: the engine stops for now).</summary>
    Skip,
}
