using System.CommandLine;

namespace Cutover.Cli.Help;

/// <summary>
/// The examples <c>--help</c> shows under each command, kept in one place so a test can parse every
/// one against the command tree and a renamed option cannot leave a wrong example behind.
/// </summary>
internal static class HelpExamples
{
    /// <summary>The examples of each command, by its path below <c>cutover</c> ("backfill run").</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ByCommand = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["serve"] = ["cutover serve -c cutover.yaml"],
        ["demo"] = ["cutover demo", "cutover demo --listen http://127.0.0.1:18480 --admin http://127.0.0.1:18481"],
        ["validate"] = ["cutover validate -c cutover.yaml"],
        ["status"] = ["cutover status", "cutover status orders", "cutover status --group payments --json", "cutover status --watch"],
        ["weight"] = ["cutover weight orders 25 -r \"error rate flat for an hour\""],
        ["mode"] = ["cutover mode orders shadow -r \"compare before canary\""],
        ["rollback"] = ["cutover rollback orders -r \"5xx on checkout\"", "cutover rollback orders --force -r \"legacy restored from the backup\""],
        ["apply"] = ["cutover apply -f cutover.yaml --dry-run", "cutover apply -f cutover.yaml -r \"release 42\" --json"],
        ["export"] = ["cutover export orders", "cutover export --group payments --json"],
        ["promote"] = ["cutover promote orders", "cutover promote orders --force -r \"gate noise, checked by hand\""],
        ["pause"] = ["cutover pause orders -r \"investigating latency\""],
        ["resume"] = ["cutover resume orders"],
        ["abort"] = ["cutover abort orders -r \"moving it by hand\""],
        ["retry"] = ["cutover retry orders"],
        ["audit"] = ["cutover audit orders --limit 20", "cutover audit --json"],
        ["report"] = ["cutover report orders", "cutover report orders --admin http://127.0.0.1:8081"],
        ["diff"] = ["cutover diff orders", "cutover diff orders --sample 42"],
        ["judge"] = ["cutover judge orders", "cutover judge orders --json"],
        ["check"] = ["cutover check orders", "cutover check orders --json"],
        ["backfill"] = ["cutover backfill run -f customers.yaml", "cutover backfill status", "cutover backfill verify customers --repair"],
        ["backfill run"] = ["cutover backfill run -f customers.yaml --store sqlite:cutover.db", "cutover backfill run -f events.yaml --workers 4"],
        ["backfill status"] = ["cutover backfill status customers --json"],
        ["backfill verify"] = ["cutover backfill verify customers --chunk-size 5000"],
        ["token"] = ["cutover token create root --role admin --store sqlite:cutover.db", "cutover token list", "cutover token revoke ci"],
        ["token create"] = ["cutover token create ci --role operator --expires 90d --migrations orders,billing"],
    };

    /// <summary>The path of <paramref name="command"/> below the root command, as the keys of <see cref="ByCommand"/> read.</summary>
    public static string PathOf(Command command) =>
        string.Join(' ', Ancestors(command).Reverse().Select(c => c.Name));

    private static IEnumerable<Command> Ancestors(Command command)
    {
        for (Command? at = command; at is not null and not RootCommand; at = at.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return at;
        }
    }
}
