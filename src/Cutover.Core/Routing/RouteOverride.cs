using System.Net;
using System.Security.Cryptography;
using System.Text;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Routing;

/// <summary>
/// A migration's validated <c>override</c>: the header and/or cookie with which a tester forces
/// the side that serves a request, and who may do so. The secret is kept only as its SHA-256
/// hash, so no view, log or comparison of definitions can show it, and a request's secret is
/// compared by hash in constant time, so the time an answer takes tells nothing about it.
/// Equality covers every part, the secret's hash too, so <c>cutover apply</c> sees a changed secret.
/// </summary>
public sealed class RouteOverride : IEquatable<RouteOverride>
{
    /// <summary>The request header that carries the secret when the override has one.</summary>
    public const string SecretHeader = "Cutover-Route-Secret";

    /// <summary>The longest secret a request may send, in characters; a longer one is wrong without being hashed.</summary>
    public const int MaxSecretLength = 1024;

    private readonly byte[]? _secretHash;

    /// <summary>Creates an override; <paramref name="secret"/> is hashed at once and not kept.</summary>
    public RouteOverride(string? header, string? cookie, IReadOnlyList<IPNetwork> networks, string? secret)
    {
        ArgumentNullException.ThrowIfNull(networks);
        Header = header;
        Cookie = cookie;
        Networks = networks;
        _secretHash = secret is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>The request header whose value forces the side; null for none.</summary>
    public string? Header { get; }

    /// <summary>The cookie whose value forces the side; null for none.</summary>
    public string? Cookie { get; }

    /// <summary>The client networks allowed to use the override; empty for any client.</summary>
    public IReadOnlyList<IPNetwork> Networks { get; }

    /// <summary>Whether a request must also carry the secret in <see cref="SecretHeader"/>.</summary>
    public bool RequiresSecret => _secretHash is not null;

    /// <summary>Whether only some clients could use it: by network or by secret. One that is open to all is allowed only behind a loopback listener.</summary>
    public bool IsLimited => Networks.Count > 0 || RequiresSecret;

    /// <summary>The side a header or cookie value names (legacy or candidate, any case, spaces around ignored); false for anything else.</summary>
    public static bool TryParseSide(ReadOnlySpan<char> value, out Side side)
    {
        var trimmed = value.Trim();
        if (trimmed.Equals("candidate", StringComparison.OrdinalIgnoreCase))
        {
            side = Side.Candidate;
            return true;
        }

        side = Side.Legacy;
        return trimmed.Equals("legacy", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a client address may use the override: any when no networks are set, none when the address is unknown.</summary>
    public bool Admits(IPAddress? client)
    {
        if (Networks.Count == 0)
        {
            return true;
        }

        if (client is null)
        {
            return false;
        }

        foreach (var network in Networks)
        {
            if (network.Contains(client))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="given"/> is the secret; always true when there is none. Compares hashes in constant time and allocates nothing.</summary>
    public bool SecretMatches(ReadOnlySpan<char> given)
    {
        if (_secretHash is null)
        {
            return true;
        }

        if (given.IsEmpty || given.Length > MaxSecretLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxSecretLength * 3];
        var length = Encoding.UTF8.GetBytes(given, bytes);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..length], hash);
        return CryptographicOperations.FixedTimeEquals(hash, _secretHash);
    }

    /// <inheritdoc/>
    public bool Equals(RouteOverride? other) =>
        other is not null
        && string.Equals(Header, other.Header, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Cookie, other.Cookie, StringComparison.Ordinal)
        && Networks.SequenceEqual(other.Networks)
        && (_secretHash ?? []).AsSpan().SequenceEqual(other._secretHash ?? []);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RouteOverride);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Header?.ToUpperInvariant(), Cookie, Networks.Count, RequiresSecret);

    /// <summary>What the override reads and who may use it, without the secret: for logs and views.</summary>
    public override string ToString()
    {
        var by = string.Join(" and ", new[] { Header is null ? null : $"header {Header}", Cookie is null ? null : $"cookie {Cookie}" }.OfType<string>());
        var limits = new List<string>();
        if (Networks.Count > 0)
        {
            limits.Add("from " + string.Join(", ", Networks));
        }

        if (RequiresSecret)
        {
            limits.Add("with the secret");
        }

        return limits.Count == 0 ? by : $"{by}, {string.Join(", ", limits)}";
    }
}
