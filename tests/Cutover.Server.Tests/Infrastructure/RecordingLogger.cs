using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Infrastructure;

/// <summary>A logger that keeps every entry written to it, for tests of what an operator reads in the log.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<(EventId Event, LogLevel Level, string Message)> _entries = [];

    /// <summary>The entries written so far, in order.</summary>
    public IReadOnlyList<(EventId Event, LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The messages of the entries with one event id.</summary>
    public IReadOnlyList<string> Messages(int eventId) => [.. Entries.Where(e => e.Event.Id == eventId).Select(e => e.Message)];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((eventId, logLevel, formatter(state, exception)));
        }
    }
}
