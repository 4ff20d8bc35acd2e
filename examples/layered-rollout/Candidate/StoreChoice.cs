using LayeredRollout.Stores;

namespace LayeredRollout.Candidate;

/// <summary>
/// Which store the candidate reads and writes: the legacy table until the plan passes its point of
/// no return, the new table from then on. The switch goes one way, as a deploy that moves a
/// service's writes does: after it legacy's table no longer gets the candidate's users' writes,
/// which is why Cutover halts rather than rolls back past that step.
/// </summary>
public sealed class StoreChoice
{
    private volatile IProfileStore _current;

    /// <summary>Starts on <paramref name="legacy"/>, ready to move to <paramref name="replacement"/>.</summary>
    public StoreChoice(IProfileStore legacy, IProfileStore replacement)
    {
        _current = legacy;
        Legacy = legacy;
        Replacement = replacement;
    }

    /// <summary>The store requests use now.</summary>
    public IProfileStore Current => _current;

    /// <summary>The legacy table.</summary>
    public IProfileStore Legacy { get; }

    /// <summary>The new table.</summary>
    public IProfileStore Replacement { get; }

    /// <summary>Moves reads and writes to the new table; true the first time.</summary>
    public bool SwitchToNew() => Interlocked.Exchange(ref _current, Replacement) != Replacement;
}
