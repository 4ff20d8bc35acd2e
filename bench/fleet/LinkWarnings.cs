using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Cutover.Bench.Fleet;

/// <summary>
/// Counts the warnings the followers' links log (a stream that could not be opened or dropped,
/// with the reason), by message with the replica's address taken out, so the results say why
/// streams dropped without printing a line per follower.
/// </summary>
internal sealed partial class LinkWarnings : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Each distinct warning and how many times it was logged, most frequent first.</summary>
    public IReadOnlyList<(string Message, int Count)> Counts => [.. _counts.OrderByDescending(c => c.Value).Select(c => (c.Key, c.Value))];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/?")]
    private static partial Regex Address();

    private sealed class Logger(LinkWarnings counts) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                counts._counts.AddOrUpdate(Address().Replace(formatter(state, exception), "REPLICA"), 1, (_, n) => n + 1);
            }
        }
    }
}
