using System.Globalization;

namespace Cutover.Bench.Fleet;

/// <summary>The benchmark's settings, from its arguments (run.sh passes them from the environment).</summary>
/// <param name="Cutover">The built <c>cutover.dll</c> each replica runs (<c>dotnet cutover.dll serve</c>).</param>
/// <param name="Store">The PostgreSQL connection string every replica shares, of a database the benchmark may fill.</param>
/// <param name="Replicas">Replicas started on the store.</param>
/// <param name="Migrations">Migrations in the generated config.</param>
/// <param name="Followers">Applications following the event stream, spread over the replicas in turn.</param>
/// <param name="Changes">Weight changes made through the first replica's admin API.</param>
/// <param name="Rate">Requests per second of light traffic spread over every migration and replica.</param>
/// <param name="Window">Seconds the store's writes are counted over, under that traffic.</param>
/// <param name="Pids">A file the replicas' process ids are written to, so run.sh can stop them if this process dies.</param>
internal sealed record Options(
    string Cutover, string Store, int Replicas, int Migrations, int Followers, int Changes, int Rate, int Window,
    string? Out, string? Pids, string Command, string Commit)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        string Required(string name) => Value(name) ?? throw new ArgumentException($"{name} is required (run bench/fleet/run.sh, which sets it)");
        int Number(string name, int fallback) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return new Options(
            Required("--cutover"),
            Required("--store"),
            Number("--replicas", 3),
            Number("--migrations", 1000),
            Number("--followers", 2000),
            Number("--changes", 50),
            Number("--rate", 200),
            Number("--window", 30),
            Value("--out"),
            Value("--pids"),
            Value("--command") ?? "bash bench/fleet/run.sh",
            Value("--commit") ?? "unknown");
    }
}
