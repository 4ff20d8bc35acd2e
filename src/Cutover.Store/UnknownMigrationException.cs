namespace Cutover.Store;

/// <summary>A change named a migration the store does not hold.</summary>
public sealed class UnknownMigrationException(string name)
    : Exception($"The store holds no migration named '{name}'.")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}
