namespace Registry;

/// <summary>A share of lookups answered 404 as if the service were not registered (<c>POST /faults?lose=0.2</c>): the bug that shows the rollback path.</summary>
public sealed class LostLookups
{
    private double _rate;

    /// <summary>The share of lookups lost, 0 to 1.</summary>
    public double Rate
    {
        get => Volatile.Read(ref _rate);
        set => Volatile.Write(ref _rate, Math.Clamp(value, 0, 1));
    }

    /// <summary>Whether this lookup is lost.</summary>
    public bool Strikes() => Random.Shared.NextDouble() < Rate;
}
