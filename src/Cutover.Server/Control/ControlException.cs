namespace Cutover.Server.Control;

/// <summary>
/// A state change refused for a reason the caller can fix; the admin API turns it into a problem
/// details response with <see cref="Status"/>.
/// </summary>
public sealed class ControlException(int status, string title, string detail) : Exception(detail)
{
    /// <summary>The HTTP status that fits: 400 bad value, 404 unknown migration, 409 not allowed in the current state, 503 store down.</summary>
    public int Status { get; } = status;

    /// <summary>A short, stable title.</summary>
    public string Title { get; } = title;
}
