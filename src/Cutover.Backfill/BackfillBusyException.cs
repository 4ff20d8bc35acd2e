namespace Cutover.Backfill;

/// <summary>
/// A refusal because another process holds the job: a command reports it as any refusal, while
/// the rollout orchestrator, which resumes a job whose runner died, asks again once that
/// runner's hold has expired.
/// </summary>
public sealed class BackfillBusyException(string message) : BackfillRefusedException(message);
