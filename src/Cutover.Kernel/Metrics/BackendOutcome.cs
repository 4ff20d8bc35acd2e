namespace Cutover.Kernel.Metrics;

/// <summary>
/// What came of forwarding a request to a side, as far as the side is to blame: its answer, or
/// which of its faults kept it from answering. A client that broke off before the answer says
/// nothing about the backend, so it is an outcome of its own that no <see cref="ErrorPolicy"/> counts.
/// </summary>
public enum BackendOutcome
{
    /// <summary>
    /// The backend answered, with the status on the response, even if the client then left
    /// before the whole answer reached it.
    /// </summary>
    Answered,

    /// <summary>The client hung up or broke off its request before the backend answered; the status on the response is the proxy's, not the backend's.</summary>
    ClientBrokeOff,

    /// <summary>The backend could not be reached, refused or reset the connection, broke off its answer, or sent one that could not be relayed.</summary>
    ConnectionFailure,

    /// <summary>The backend stayed silent for longer than its timeout.</summary>
    Timeout,
}
