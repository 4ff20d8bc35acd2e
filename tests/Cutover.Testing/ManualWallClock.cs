namespace Cutover.Testing;

/// <summary>
/// A clock whose wall time moves only when told (<see cref="Advance"/>) while its timers run in
/// real time, unlike <see cref="ManualTime"/>, whose timers wait for <see cref="ManualTime.Advance"/>:
/// for code that stamps times a test asserts exactly and also waits on real timers (the store's
/// wait for another replica's change, its ping's timeout) that no test advances.
/// </summary>
public sealed class ManualWallClock(DateTimeOffset start) : TimeProvider
{
    private long utcTicks = start.UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref utcTicks, by.Ticks);
}
