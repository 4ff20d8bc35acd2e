namespace Cutover.Server.Checks;

/// <summary>
/// Every pre-migration check of one migration, run together: what <c>cutover check</c> prints,
/// <c>GET /api/migrations/{name}/checks</c> returns, and a plan consults before it starts (a plan
/// does not start while <see cref="Passed"/> is false, unless forced).
/// </summary>
/// <param name="Migration">The migration.</param>
/// <param name="Time">When the checks started, on the host's clock.</param>
/// <param name="Passed">Whether every check passed.</param>
/// <param name="Checks">Each check, built-in ones first, then the custom ones in config order.</param>
public sealed record PreflightReport(string Migration, DateTimeOffset Time, bool Passed, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>
    /// One line for a person or an audit reason: "all 5 checks passed", or "2 of 5 checks failed:
    /// health-candidate, metrics-flowing".
    /// </summary>
    public string Summary()
    {
        var failed = Checks.Where(c => !c.Passed).Select(c => c.Name).ToList();
        return failed.Count == 0
            ? $"all {Checks.Count} checks passed"
            : $"{failed.Count} of {Checks.Count} checks failed: {string.Join(", ", failed)}";
    }
}
