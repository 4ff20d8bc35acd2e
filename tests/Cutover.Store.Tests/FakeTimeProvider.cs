namespace Cutover.Store.Tests;

/// <summary>A clock the test moves by hand, so stored times can be asserted exactly.</summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long utcTicks = start.UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref utcTicks, by.Ticks);
}
