using System.Globalization;

namespace Cutover.Bench.Dashboard;

/// <summary>The benchmark's settings, from its arguments (run.sh passes them from the environment).</summary>
internal sealed record Options(int Loads, int Hold, int Migrations, int Rate, string? Out, string Command, string Commit)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return new Options(
            Number("--loads", 10),
            Number("--hold", 6),
            Number("--migrations", 200),
            Number("--rate", 100),
            Value("--out"),
            Value("--command") ?? "dotnet run -c Release --project bench/dashboard",
            Value("--commit") ?? "unknown");
    }
}
