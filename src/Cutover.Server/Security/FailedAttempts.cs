using System.Collections.Concurrent;
using System.Net;

namespace Cutover.Server.Security;

/// <summary>
/// Counts failed authentications per client address in fixed windows, so guessing tokens is slow
/// and a flood of bad calls costs no HMAC: past <see cref="Limit"/> failures in a window, the
/// address's calls are refused unchecked until the window ends. The table is bounded: past
/// <see cref="MaxClients"/> addresses, ended windows are dropped, and if every window is live the
/// new address is refused like a limited one, so memory stays bounded under any flood.
/// </summary>
public sealed class FailedAttempts(TimeProvider time)
{
    /// <summary>Failures allowed per address in one window.</summary>
    public const int Limit = 10;

    /// <summary>The most addresses tracked at once.</summary>
    public const int MaxClients = 10_000;

    /// <summary>A window's length.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<IPAddress, Tally> _tallies = new();

    /// <summary>Whether <paramref name="client"/> used up its failures in the current window.</summary>
    public bool IsLimited(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return _tallies.TryGetValue(client, out var tally) && tally.Start + Window > time.GetUtcNow() && tally.Count >= Limit;
    }

    /// <summary>Counts a failure of <paramref name="client"/>; returns the count in the window, so the caller can log when it reaches the limit.</summary>
    public int Fail(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = time.GetUtcNow();
        if (_tallies.Count >= MaxClients && !_tallies.ContainsKey(client))
        {
            foreach (var (address, ended) in _tallies)
            {
                if (ended.Start + Window <= now)
                {
                    _tallies.TryRemove(address, out _);
                }
            }

            if (_tallies.Count >= MaxClients)
            {
                return Limit;
            }
        }

        return _tallies.AddOrUpdate(
            client,
            _ => new Tally(now, 1),
            (_, tally) => tally.Start + Window <= now ? new Tally(now, 1) : tally with { Count = tally.Count + 1 }).Count;
    }

    private sealed record Tally(DateTimeOffset Start, int Count);
}
