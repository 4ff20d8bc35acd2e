namespace Cutover.Server.Security;

/// <summary>The outcome of checking a presented token: the caller, or why there is none.</summary>
/// <param name="Caller">Who the token belongs to; null when it was refused.</param>
/// <param name="Refusal">Why it was refused, for the 401 and the log (never the token itself); null when accepted.</param>
public readonly record struct TokenCheck(AdminCaller? Caller, string? Refusal)
{
    /// <summary>A refusal.</summary>
    public static TokenCheck Refused(string why) => new(null, why);
}
