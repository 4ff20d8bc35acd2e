namespace Cutover.Store;

/// <summary>Someone else changed the migration between a read and this change.</summary>
public sealed class VersionConflictException(string name, long expected, long actual)
    : Exception($"Migration '{name}' is at version {actual}, not {expected}: it was changed meanwhile. Read it again and retry.")
{
    /// <summary>The migration.</summary>
    public string Name { get; } = name;

    /// <summary>The version the change expected.</summary>
    public long Expected { get; } = expected;

    /// <summary>The version found.</summary>
    public long Actual { get; } = actual;
}
