namespace Cutover.Backfill.Jobs;

/// <summary>Reads and validates a backfill job file: the one way a <see cref="BackfillJob"/> is made.</summary>
public static class BackfillJobFile
{
    /// <summary>The default rows per batch.</summary>
    public const int DefaultBatchSize = 5000;

    /// <summary>
    /// Parses and validates job YAML; <paramref name="source"/> names it in errors, and a relative
    /// <c>transform.assembly</c> is found from <paramref name="folder"/> (the current folder when null). Throws
    /// <see cref="BackfillJobException"/> listing every problem, each with its line and the fix.
    /// </summary>
    public static BackfillJob Parse(string yaml, string source, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var (config, errors) = BackfillJobReader.Parse(yaml, source, folder ?? Directory.GetCurrentDirectory());
        if (config is null)
        {
            throw new BackfillJobException(source, errors);
        }

        var (job, problems) = BackfillJobValidator.Validate(config, yaml, errors);
        return job is not null && problems.Count == 0 ? job : throw new BackfillJobException(source, problems);
    }

    /// <summary>Reads a job file; a file that cannot be read is reported as a problem with the file, naming it.</summary>
    public static async Task<BackfillJob> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackfillJobException(path, [new(path, 0, null, string.Empty, $"cannot be read ({e.Message.TrimEnd('.')}); check the path given to -f")]);
        }

        return Parse(text, Path.GetFileName(path), Path.GetDirectoryName(Path.GetFullPath(path)));
    }
}
