using Cutover.Core.Configuration;

namespace Cutover.Server.Control;

/// <summary>What <c>cutover apply</c> changed or, on a dry run, would change.</summary>
/// <param name="Source">The file applied, as the caller named it.</param>
/// <param name="DryRun">Whether this was only a preview, so nothing was changed.</param>
/// <param name="Migrations">Each migration of the file, in file order.</param>
/// <param name="NotInFile">Migrations Cutover serves that the file does not list; apply leaves them as they are.</param>
/// <param name="NotApplied">File-level settings (listen, admin, store, fallback, notifications) that differ from the running ones; only a restart of <c>cutover serve</c> with the file changes them.</param>
public sealed record ApplyResult(
    string Source,
    bool DryRun,
    IReadOnlyList<MigrationApplied> Migrations,
    IReadOnlyList<string> NotInFile,
    IReadOnlyList<FieldChange> NotApplied);
