using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Cutover.Bench.Fleet;

/// <summary>
/// A process's managed heap as the runtime last measured it (the System.Runtime meter's
/// <c>dotnet.gc.last_collection.heap.size</c>, summed over generations), read with
/// <c>dotnet-counters collect</c> for a few seconds. Null when the tool is not installed
/// (<c>dotnet tool install -g dotnet-counters</c>) or saw no collection.
/// </summary>
internal static class GcHeap
{
    private const string Counter = "dotnet.gc.last_collection.heap.size";

    public static async Task<long?> ReadAsync(int pid, string folder)
    {
        if (Tool() is not { } tool)
        {
            return null;
        }

        var output = Path.Combine(folder, $"counters-{pid}-{Stopwatch.GetTimestamp()}.json");
        var start = new ProcessStartInfo(tool, ["collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", $"System.Runtime[{Counter}]",
            "--format", "json", "-o", output, "--duration", "00:00:00:04"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            return null;
        }

        await drained;
        if (!File.Exists(output))
        {
            return null;
        }

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        File.Delete(output);
        // One event per generation each refresh: the latest of each generation, summed.
        var latest = json.RootElement.GetProperty("Events").EnumerateArray()
            .Where(e => e.GetProperty("name").GetString()?.StartsWith(Counter, StringComparison.Ordinal) == true)
            .GroupBy(e => e.GetProperty("tags").GetString())
            .Select(g => g.Last().GetProperty("value").GetDouble())
            .ToList();
        return latest.Count == 0 ? null : (long)latest.Sum();
    }

    private static string? Tool()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        var candidates = new[] { Path.Combine(home, ".dotnet", "tools", "dotnet-counters") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(p => Path.Combine(p, "dotnet-counters")));
        return candidates.FirstOrDefault(File.Exists);
    }
}
