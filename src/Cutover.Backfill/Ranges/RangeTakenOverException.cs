namespace Cutover.Backfill.Ranges;

/// <summary>
/// A worker's claim on a key range expired and another worker took the range over (or a restart
/// split the job anew): the worker drops the range without checkpointing it and claims another.
/// The batch it wrote last is copied again by the new holder, which the upsert makes harmless.
/// </summary>
internal sealed class RangeTakenOverException() : Exception("Another worker took the key range over.");
