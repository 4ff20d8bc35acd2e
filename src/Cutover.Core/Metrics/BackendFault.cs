namespace Cutover.Core.Metrics;

/// <summary>
/// Why a side gave no answer to relay, as far as the side is to blame. A client that hangs up or
/// breaks off its upload is none of these: it says nothing about the backend, so it never counts
/// against a side, whatever a migration's <see cref="ErrorPolicy"/> says.
/// </summary>
public enum BackendFault
{
    /// <summary>The backend answered (with any status), or the client broke off.</summary>
    None,

    /// <summary>The backend could not be reached, refused or reset the connection, broke off its answer, or sent one that could not be relayed.</summary>
    ConnectionFailure,

    /// <summary>The backend stayed silent for longer than its timeout.</summary>
    Timeout,
}
