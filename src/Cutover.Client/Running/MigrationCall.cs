namespace Cutover.Client.Running;

/// <summary>One call of a migration as the application made it: both sides, and what it said about running them.</summary>
/// <param name="Migration">The migration's name.</param>
/// <param name="Legacy">The implementation being replaced.</param>
/// <param name="Candidate">Its replacement.</param>
/// <param name="StickyKey">What keeps the user on one side, if anything.</param>
/// <param name="Options">The call's options, overriding the migration's.</param>
/// <param name="CancellationToken">The caller's token.</param>
internal readonly record struct MigrationCall<T>(
    string Migration,
    Func<CancellationToken, Task<T>> Legacy,
    Func<CancellationToken, Task<T>> Candidate,
    string? StickyKey,
    RunOptions<T>? Options,
    CancellationToken CancellationToken);
