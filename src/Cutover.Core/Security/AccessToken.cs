using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Cutover.Core.Security;

/// <summary>
/// The admin API's bearer tokens: <c>cut_</c>, eight characters that identify the token in
/// listings (its visible prefix), an underscore and 32 random characters. Only a keyed hash
/// (HMAC-SHA256 under the store's own secret) is kept, so a copy of the store's token table
/// cannot be replayed, and a token is shown once, when it is made.
/// </summary>
public static partial class AccessToken
{
    /// <summary>What every token starts with, so secret scanners and people recognise one.</summary>
    public const string Scheme = "cut_";

    /// <summary>How many characters of a token are shown in listings and logs: the scheme and its identifying part.</summary>
    public const int PrefixLength = 12;

    /// <summary>How many bytes the store's hashing secret has.</summary>
    public const int SecretBytes = 32;

    /// <summary>The most characters a token's name may have.</summary>
    public const int MaxNameLength = 63;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int IdLength = 8;
    private const int SecretLength = 32;
    private const int TokenLength = PrefixLength + 1 + SecretLength;

    // Names the audit log gives to callers that are not tokens; a token named so could pose as them.
    [ThreadStatic]
    private static byte[]? t_secret;

    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    private static readonly string[] ReservedNames = ["local", "cutover", "api", "store"];

    /// <summary>A new token, from the system's cryptographic random source.</summary>
    public static string Generate()
    {
        var text = new StringBuilder(TokenLength).Append(Scheme);
        text.Append(RandomNumberGenerator.GetString(Alphabet, IdLength)).Append('_');
        text.Append(RandomNumberGenerator.GetString(Alphabet, SecretLength));
        return text.ToString();
    }

    /// <summary>A new hashing secret for a store.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>Whether <paramref name="token"/> has a token's shape; anything else is refused without hashing.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token)
    {
        if (token.Length != TokenLength || !token.StartsWith(Scheme, StringComparison.Ordinal) || token[PrefixLength] != '_')
        {
            return false;
        }

        foreach (var c in token[Scheme.Length..PrefixLength])
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        foreach (var c in token[(PrefixLength + 1)..])
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The visible prefix of a well-formed token (<c>cut_Ab12Cd34</c>).</summary>
    public static string PrefixOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token[..PrefixLength];
    }

    /// <summary>The keyed hash of a well-formed token under <paramref name="secret"/>, as lowercase hex: what the store keeps.</summary>
    public static string Hash(byte[] secret, ReadOnlySpan<char> token)
    {
        ArgumentNullException.ThrowIfNull(secret);

        // A well-formed token is ASCII, one byte per character.
        Span<byte> bytes = stackalloc byte[TokenLength];
        var written = Encoding.ASCII.GetBytes(token, bytes);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hmac = HmacOf(secret);
        hmac.AppendData(bytes[..written]);
        hmac.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// This thread's HMAC under <paramref name="secret"/>, kept between calls: setting up the key
    /// costs more than hashing a token, and a store's secret never changes.
    /// </summary>
    private static IncrementalHash HmacOf(byte[] secret)
    {
        if (!ReferenceEquals(t_secret, secret) || t_hmac is null)
        {
            t_hmac?.Dispose();
            t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
            t_secret = secret;
        }

        return t_hmac;
    }

    /// <summary>Why <paramref name="name"/> cannot name a token, or null when it can.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !NamePattern().IsMatch(name))
        {
            return $"'{name}' is not a token name; use 1 to {MaxNameLength} lowercase letters, digits and dashes, like ci-deploy";
        }

        return ReservedNames.Contains(name, StringComparer.Ordinal)
            ? $"'{name}' is what the audit log calls a caller that is not a token ({string.Join(", ", ReservedNames)}), so a token of that name could pose as it; choose another name"
            : null;
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
