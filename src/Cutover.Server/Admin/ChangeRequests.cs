namespace Cutover.Server.Admin;

/// <summary>
/// The body of <c>POST /api/migrations/{name}/weight</c>; the weight is the number as sent, so one outside 0..100 reaches
/// <c>MigrationControl.SetWeightAsync</c> and gets its own 400 rather than a JSON error. <c>force</c> lowers the weight past
/// the plan's point of no return, and the audit row says so.
/// </summary>
public sealed record WeightRequest(double? Weight, string? Reason, string? Actor, bool? Force = null);

/// <summary>The body of <c>POST /api/migrations/{name}/mode</c>; <c>force</c> sends users back toward legacy past the plan's point of no return, and the audit row says so.</summary>
public sealed record ModeRequest(string? Mode, string? Reason, string? Actor, bool? Force = null);

/// <summary>The body of changes that need nothing but who and why, such as pause; it may be empty.</summary>
public sealed record ActionRequest(string? Reason, string? Actor);

/// <summary>The body of <c>POST /api/migrations/{name}/promote</c>, <c>.../retry</c> and <c>.../rollback</c>; it may be empty. <c>force</c> skips the gates (promote), the pre-migration checks (start, retry) or the point of no return (rollback), and the audit row says so.</summary>
public sealed record PromoteRequest(bool? Force, string? Reason, string? Actor);

/// <summary>
/// The body of <c>POST /api/apply</c>: a config file's text to apply to the running Cutover.
/// <c>source</c> names the file in messages and the audit log; <c>dryRun</c> only says what would change.
/// </summary>
public sealed record ApplyRequest(string? Config, string? Source, string? Reason, string? Actor, bool? DryRun);

/// <summary>The body of <c>POST /api/tokens</c>.</summary>
public sealed record TokenCreateRequest(string? Name, string? Role, string? Expires, IReadOnlyList<string>? Migrations, string? Reason, string? Actor);
