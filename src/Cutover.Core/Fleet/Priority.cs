namespace Cutover.Core.Fleet;

/// <summary>
/// How much a migration matters next to the others of the fleet, so fifty of them can be sorted
/// and filtered by what needs a person first. Four named levels rather than a number: a number
/// invites arguments about 37 versus 40 and gaps to renumber, while four words read the same in
/// every team and every table. Ordered most urgent first, so sorting by value lists critical first.
/// Wire names are lower-case (<see cref="Priorities"/>).
/// </summary>
public enum Priority
{
    /// <summary>Its failure stops the business (payments, sign-in); watched first.</summary>
    Critical,

    /// <summary>Important, but users can work around a failure for a while.</summary>
    High,

    /// <summary>The default.</summary>
    Normal,

    /// <summary>Can wait: internal tools, rarely used endpoints.</summary>
    Low,
}
