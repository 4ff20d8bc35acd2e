namespace Cutover.Bench;

/// <summary>A benchmark's report, printed and, when asked with --out, kept in a file for docs/benchmarks.md.</summary>
internal static class ReportFile
{
    public static async Task ShowAsync(string report, string? output)
    {
        Console.WriteLine();
        Console.WriteLine(report);
        if (output is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, report);
            Console.WriteLine($"written to {output}");
        }
    }
}
