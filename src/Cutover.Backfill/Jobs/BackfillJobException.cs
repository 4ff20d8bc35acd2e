using Cutover.Core.Configuration;

namespace Cutover.Backfill.Jobs;

/// <summary>A job file that cannot be run, with every problem found in it.</summary>
public sealed class BackfillJobException : Exception
{
    /// <summary>Creates the exception from the problems found in <paramref name="source"/>.</summary>
    public BackfillJobException(string source, IReadOnlyList<ConfigError> errors)
        : base($"{errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")} in the backfill job {source}:{Environment.NewLine}" +
               string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    /// <summary>Every problem, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }
}
