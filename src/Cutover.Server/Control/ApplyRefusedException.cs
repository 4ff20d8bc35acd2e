namespace Cutover.Server.Control;

/// <summary>
/// A config file that cannot be applied while Cutover runs, with every reason found in it (a
/// migration it does not serve, a backend or match that differs, a plan under way). Nothing was
/// changed; the admin API answers 409 listing the reasons.
/// </summary>
public sealed class ApplyRefusedException(string source, IReadOnlyList<string> reasons) : Exception(
    $"{source} cannot be applied while Cutover runs, so nothing was changed:{Environment.NewLine}" + string.Join(Environment.NewLine, reasons.Select(r => "  - " + r)))
{
    /// <summary>Every reason, each naming the migration and the fix.</summary>
    public IReadOnlyList<string> Reasons { get; } = reasons;
}
