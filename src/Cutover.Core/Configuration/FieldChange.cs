namespace Cutover.Core.Configuration;

/// <summary>
/// One field whose value differs between what runs and a config file, as <c>cutover apply</c>
/// reports it: "weight: 10 → 25", "plan.gates: none → candidate.errorRate &lt;= 0.01".
/// </summary>
/// <param name="Field">The config key, such as <c>weight</c>, <c>plan.steps</c> or <c>listen</c>.</param>
/// <param name="Before">The running value, readable; null when it is not shown because it may hold credentials (the store, webhooks).</param>
/// <param name="After">The file's value, readable; null when not shown.</param>
public sealed record FieldChange(string Field, string? Before, string? After);
