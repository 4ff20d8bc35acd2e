namespace Cutover.Store;

/// <summary>Opens the store named by a location: <c>sqlite:PATH</c> or a PostgreSQL connection string.</summary>
public static class ControlStoreFactory
{
    /// <summary>Creates the store (not yet initialized). Throws <see cref="StoreUnavailableException"/> for a location of neither form.</summary>
    public static IControlStore Create(string location, TimeProvider time)
    {
        throw new NotImplementedException();
    }
}
