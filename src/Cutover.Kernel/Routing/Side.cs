namespace Cutover.Kernel.Routing;

/// <summary>One of the two backends of a migration.</summary>
public enum Side
{
    /// <summary>The system being replaced.</summary>
    Legacy,

    /// <summary>The system replacing it.</summary>
    Candidate,
}
