namespace Cutover.Core.Checks;

/// <summary>A validated custom check: GET <paramref name="Url"/> must answer within <paramref name="Timeout"/> with the expected status.</summary>
/// <param name="Name">Unique within the migration, and never the name of a built-in check.</param>
/// <param name="Url">The absolute http or https URL to GET.</param>
/// <param name="ExpectStatus">The status the answer must have, or null for any 2xx.</param>
/// <param name="Timeout">How long the check may take, from connecting to the answer's headers.</param>
public sealed record HttpCheck(string Name, Uri Url, int? ExpectStatus, TimeSpan Timeout)
{
    /// <summary>Whether an answer with this status passes.</summary>
    public bool Accepts(int status) => ExpectStatus is { } expected ? status == expected : status is >= 200 and < 300;
}
