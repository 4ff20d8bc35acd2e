using Cutover.Core.Configuration;
using Cutover.Server.Control;

namespace Cutover.Server.Admin;

/// <summary>
/// The answer of <c>GET /api/export</c>: the config file Cutover runs with, kept to some
/// migrations, with their mode, weight and plan as they run now (<see cref="ConfigExport"/>), for
/// a backup that <c>cutover apply -f</c> restores. It holds what the config file holds, the
/// store's connection string and webhook headers included, so only an admin may ask for it.
/// </summary>
/// <param name="Source">The config file Cutover was started with.</param>
/// <param name="Migrations">The migrations exported, in file order.</param>
/// <param name="Config">The file's text with their running state.</param>
public sealed record ExportView(string Source, IReadOnlyList<string> Migrations, string Config)
{
    internal static ExportView Of(MigrationControl control, string? migration, IReadOnlyList<string> migrations)
    {
        var text = control.Definition.Text ?? throw new ControlException(409, "No config file",
            "This Cutover was given a definition built in code, not read from a config file, so there is no file to export; keep the code that builds it instead.");
        var names = migration is null ? migrations : [control.Get(migration).Name];
        return new ExportView(control.Definition.Source, names, ConfigExport.Write(text, [.. names.Select(control.Get)]));
    }
}
