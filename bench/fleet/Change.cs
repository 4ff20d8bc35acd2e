namespace Cutover.Bench.Fleet;

/// <summary>One weight change and when it arrived where it matters, from the moment its request was sent.</summary>
/// <param name="Stored">Until the admin API answered (the store's transaction committed, the first replica routing by it).</param>
/// <param name="Replicas">Until each replica's event stream announced it; null where it did not within 10 s.</param>
/// <param name="Followers">Until each application's table held it; null where it did not within 10 s.</param>
/// <param name="SplitMoved">For a sample of changes, whether sticky users through every replica's data plane landed on the new weight's side; null when not sampled.</param>
internal sealed record Change(string Migration, int Weight, long Version, TimeSpan Stored, TimeSpan?[] Replicas, TimeSpan?[] Followers, bool? SplitMoved)
{
    public bool Complete => Replicas.All(r => r is not null) && Followers.All(f => f is not null);

    public TimeSpan? EveryReplica => Replicas.All(r => r is not null) ? Replicas.Max() : null;

    public TimeSpan? EveryFollower => Followers.All(f => f is not null) ? Followers.Max() : null;
}

/// <summary>One replica's memory at one moment.</summary>
/// <param name="Resident">Resident set size (VmRSS), bytes.</param>
/// <param name="Heap">The managed heap after the last collection, bytes; null without dotnet-counters.</param>
internal sealed record ReplicaMemory(int Replica, long Resident, long? Heap)
{
    public string Text => $"replica {Replica} {Resident / 1048576.0:0} MiB resident, {(Heap is { } h ? $"{h / 1048576.0:0} MiB" : "?")} heap";
}

/// <summary>Everything one run measured.</summary>
/// <param name="Writes">Rows written per table during the window.</param>
/// <param name="Cpu">Each replica's CPU use during the window, in cores.</param>
/// <param name="Memory">Each replica's memory: before the followers, with them, under traffic, after the changes.</param>
internal sealed record Run(
    IReadOnlyList<Change> Changes, IReadOnlyList<(string Table, TableWrites Writes)> Writes, long Commits, double Seconds, IReadOnlyList<double> Cpu,
    IReadOnlyList<List<ReplicaMemory>> Memory, long Reconnects, IReadOnlyList<(string Message, int Count)> Warnings, long Sent, long Failed);
