namespace Cutover.Core.Rollout;

/// <summary>
/// Where the orchestrator tells what happened. <see cref="Publish"/> must return at once: a slow
/// or dead webhook receiver can never hold up a rollback.
/// </summary>
public interface IRolloutEventSink
{
    /// <summary>Hands an event over without waiting for it to be delivered.</summary>
    void Publish(RolloutEvent rolloutEvent);
}
