namespace LayeredRollout;

/// <summary>The bug the walkthrough switches on in the candidate (<c>POST /faults?fail=0.3</c>): a share of profile requests answered 500.</summary>
public sealed class Faults
{
    private double _rate;

    /// <summary>The share of requests that fail, 0 to 1.</summary>
    public double Rate
    {
        get => Volatile.Read(ref _rate);
        set => Volatile.Write(ref _rate, Math.Clamp(value, 0, 1));
    }

    /// <summary>Whether this request fails.</summary>
    public bool Strikes() => Random.Shared.NextDouble() < Rate;
}
