using System.CommandLine;
using Cutover.Core.Configuration;

namespace Cutover.Cli.Invocation;

/// <summary>The options several commands share, defined once so they read the same everywhere.</summary>
internal sealed class CliOptions
{
    public const string AdminVariable = "CUTOVER_ADMIN";
    public const string CaVariable = "CUTOVER_CA";
    public const string StoreVariable = "CUTOVER_STORE";
    public const string TokenVariable = "CUTOVER_TOKEN";
    public const string DefaultStore = "sqlite:cutover.db";

    public Option<string> Admin { get; } = new("--admin")
    {
        Description = $"The admin API's address (or set {AdminVariable}). The default is {CutoverConfig.DefaultAdmin}.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(AdminVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : CutoverConfig.DefaultAdmin,
    };

    /// <summary>The admin API token; no default value, so help never prints one taken from the environment (see <see cref="TokenOf"/>).</summary>
    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"The admin API token, sent as 'Authorization: Bearer' (or set {TokenVariable}); needed when Cutover runs with adminAuth: tokens.",
        Recursive = true,
    };

    /// <summary>The certificate authorities of an https admin API whose certificate a private CA issued, trusted besides the system's.</summary>
    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = $"A PEM file of the CA certificate(s) that issued the admin API's https certificate, trusted besides the system's (or set {CaVariable}).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(CaVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
    };

    /// <summary>The control store, for the commands that work on it directly rather than through the admin API (<c>backfill</c>).</summary>
    public Option<string> Store { get; } = new("--store")
    {
        Description = $"The control store: sqlite:PATH or a PostgreSQL connection string (or set {StoreVariable}). The default is {DefaultStore} in the current folder.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(StoreVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultStore,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON instead of a table, for scripts." };

    public Option<string> Reason { get; } = new("--reason", "-r")
    {
        Description = "Why you are making this change; it is kept in the audit log.",
        DefaultValueFactory = _ => string.Empty,
    };

    /// <summary>Text the audit log keeps after the caller's own name ("ci-deploy (on behalf of alice)"): the caller itself is the token's name, or local, never this.</summary>
    public Option<string?> Actor { get; } = new("--actor")
    {
        Description = "On whose behalf you make the change, kept in the audit log after the token's name (or local without tokens). The default is none.",
    };

    public Option<string> Config { get; } = new("--config", "-c")
    {
        Description = "The config file. The default is cutover.yaml in the current folder.",
        DefaultValueFactory = _ => "cutover.yaml",
    };

    /// <summary>The token given with --token, else the one in <see cref="TokenVariable"/>, else none.</summary>
    public string? TokenOf(ParseResult parse) =>
        parse.GetValue(Token) is { Length: > 0 } given ? given
        : Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;
}
