namespace LayeredRollout.Stores;

/// <summary>Where a version of the service reads and writes profiles.</summary>
public interface IProfileStore
{
    /// <summary>What the store is, for the <c>Profiles-Store</c> header: <c>legacy</c> or <c>new</c>.</summary>
    string Name { get; }

    /// <summary>The profile of user <paramref name="id"/>, or null when there is none.</summary>
    Task<Profile?> FindAsync(long id);

    /// <summary>Writes the profile; false when the user has none to change.</summary>
    Task<bool> SaveAsync(Profile profile);

    /// <summary>How many profiles the store holds.</summary>
    Task<long> CountAsync();
}
