namespace ModuleMigration.Orders;

/// <summary>
/// A bug that can be switched on at run time (<c>POST /faults/shipping?rate=0.2</c>): the new
/// shipping module then overcharges that share of quotes, so the walkthrough can show an automatic
/// rollback of that one module.
/// </summary>
public sealed class ShippingFault
{
    private double _rate;

    /// <summary>The share of quotes the fault hits, 0 to 1.</summary>
    public double Rate
    {
        get => Volatile.Read(ref _rate);
        set => Volatile.Write(ref _rate, Math.Clamp(value, 0, 1));
    }

    /// <summary>Whether this quote is hit.</summary>
    public bool Strikes() => Random.Shared.NextDouble() < Rate;
}
