using System.Text.Json.Nodes;

namespace Cutover.Server.Rollout;

/// <summary>How a plan's backfill step ended: done (copied and verified identical), or not, with why.</summary>
/// <param name="Done">Whether the step is done: the plan moves on. Otherwise it pauses for a person.</param>
/// <param name="Summary">One sentence for the audit row, the event and the plan's note.</param>
/// <param name="Evidence">The job's figures (rows, verify) or its error, kept with the audit row.</param>
internal sealed record BackfillOutcome(bool Done, string Summary, JsonObject Evidence);
