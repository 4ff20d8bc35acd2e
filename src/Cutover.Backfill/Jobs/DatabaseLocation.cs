using Cutover.Core.Configuration;

namespace Cutover.Backfill.Jobs;

/// <summary>
/// A source or target database, written like the control store's location (<c>sqlite:PATH</c> or a
/// PostgreSQL connection string) so one form is learnt once.
/// </summary>
/// <param name="Text">The location as written.</param>
/// <param name="Kind">Which engine it names.</param>
public sealed record DatabaseLocation(string Text, StoreKind Kind)
{
    /// <summary>The location with any password replaced, for messages and <c>status</c>.</summary>
    public string Description => StoreLocation.Redact(Text);

    /// <inheritdoc />
    public override string ToString() => Description;
}
