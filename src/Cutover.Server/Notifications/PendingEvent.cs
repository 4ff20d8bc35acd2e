using Cutover.Core.Rollout;

namespace Cutover.Server.Notifications;

/// <summary>An event waiting in a webhook's queue, with the id every webhook and every attempt sends for it, so a receiver can drop a repeat.</summary>
/// <param name="Event">The event.</param>
/// <param name="Id">Its id: a version 7 GUID (time-ordered) in 32 hex digits.</param>
internal sealed record PendingEvent(RolloutEvent Event, string Id);
