namespace Cutover.Client.Setup;

/// <summary>When a shadowed call runs the candidate, relative to legacy.</summary>
public enum ShadowExecution
{
    /// <summary>
    /// The candidate starts alongside legacy on the thread pool and is compared when it finishes:
    /// the caller gets legacy's result as soon as legacy has it and never waits for the candidate.
    /// </summary>
    Concurrent,

    /// <summary>
    /// The candidate runs once legacy has finished, and the caller waits for it (up to the
    /// candidate timeout): for code whose two sides share something that must not be used by two
    /// threads at once, such as a DbContext.
    /// </summary>
    AfterLegacy,
}
