namespace Cutover.Client.Decisions;

/// <summary>What one call of a migration runs, decided from its mode, weight and sticky key.</summary>
internal enum Route
{
    /// <summary>Legacy alone: the migration is in <c>legacy</c> mode (the call counted, not timed) or unknown (not counted at all).</summary>
    Legacy,

    /// <summary>Legacy, counted as a canary's legacy side: the baseline its candidate is judged against.</summary>
    CanaryLegacy,

    /// <summary>Legacy serves, the candidate runs beside it and is compared (<c>shadow</c>).</summary>
    Shadow,

    /// <summary>The candidate serves; legacy may stand in when it fails (<c>canary</c> on the candidate's side, <c>candidate</c>).</summary>
    Candidate,

    /// <summary>The candidate serves and nothing stands in: legacy is gone (<c>retired</c>).</summary>
    CandidateOnly,
}
