namespace Cutover.Backfill;

/// <summary>A run or resume that must not start (the job is already running, has no checkpoint to resume, ...); the message says what to do instead.</summary>
public class BackfillRefusedException(string message) : Exception(message);
