namespace Cutover.Core.Comparison;

/// <summary>An answer as captured for comparison: status, headers and the body (possibly cut at a size limit).</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Headers">Response headers; names compare case-insensitively.</param>
/// <param name="Body">The body bytes captured.</param>
/// <param name="Truncated">Whether the body was longer than the capture limit and was cut.</param>
public sealed record CapturedResponse(int Status, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body, bool Truncated = false)
{
    /// <summary>The media type from Content-Type, lower-case, without parameters; empty when absent.</summary>
    public string MediaType => HeaderValue("Content-Type") is { } value ? value.Split(';')[0].Trim().ToLowerInvariant() : string.Empty;

    /// <summary>A header's value by name in any case, or null.</summary>
    public string? HeaderValue(string name)
    {
        if (Headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var (key, candidate) in Headers)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }
}
