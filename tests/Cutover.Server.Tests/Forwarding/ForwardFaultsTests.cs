using System.Net.Sockets;
using Cutover.Kernel.Routing;
using Cutover.Server.Forwarding;
using Cutover.Testing;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Forwarding;

public class ForwardFaultsTests
{
    private const string Refused = "could not be reached (ConnectionRefused)";

    private readonly ManualTime _time = new();
    private readonly LogLines _log = new();

    [Fact]
    public void Record_CandidateOutage_LogsFirstFailureAtOnceAndCountsTheRestPerInterval()
    {
        using var faults = new ForwardFaults(_log, _time);

        for (var i = 0; i < 1000; i++)
        {
            faults.Record("orders", Side.Candidate, Refused, RefusedException());
        }

        Assert.Equal(["Migration 'orders': the candidate backend could not be reached (ConnectionRefused). Failures like this are counted and their number logged every 10s while they go on."],
            _log.Lines);
        _time.Advance(ForwardFaults.Interval);

        Assert.Equal("Migration 'orders': the candidate backend could not be reached (ConnectionRefused). Again 999 times in the last 10s.", _log.Lines[^1]);
        Assert.Equal(2, _log.Lines.Count);
        Assert.All(_log.Exceptions, Assert.Null);
    }

    [Fact]
    public void Record_KindsOfFailure_EachGetsItsOwnLines()
    {
        using var faults = new ForwardFaults(_log, _time);

        faults.Record("orders", Side.Candidate, Refused, RefusedException());
        faults.Record("orders", Side.Legacy, Refused, RefusedException());
        faults.Record("billing", Side.Candidate, Refused, RefusedException());
        faults.Record("orders", Side.Candidate, "did not answer within its timeout", null);
        faults.Record(null, Side.Legacy, Refused, RefusedException());
        faults.Record("orders", Side.Candidate, Refused, RefusedException());

        Assert.Equal(5, _log.Lines.Count);
        Assert.Contains("The fallback backend could not be reached (ConnectionRefused). Failures like this", _log.Lines[4], StringComparison.Ordinal);
        _time.Advance(ForwardFaults.Interval);
        Assert.Equal("Migration 'orders': the candidate backend could not be reached (ConnectionRefused). Again 1 times in the last 10s.", _log.Lines.Single(line => line.Contains("Again", StringComparison.Ordinal)));
    }

    [Fact]
    public void Record_AfterAQuietInterval_LogsTheNextFailureAtOnce()
    {
        using var faults = new ForwardFaults(_log, _time);
        faults.Record("orders", Side.Candidate, Refused, RefusedException());

        _time.Advance(ForwardFaults.Interval * 3);
        faults.Record("orders", Side.Candidate, Refused, RefusedException());

        Assert.Equal(2, _log.Lines.Count);
        Assert.All(_log.Lines, line => Assert.Contains("Failures like this are counted", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Record_UnexpectedException_KeepsItsStackTrace()
    {
        using var faults = new ForwardFaults(_log, _time);

        faults.Record("orders", Side.Candidate, "failed (Request)", new InvalidOperationException("bug"));
        faults.Record("orders", Side.Legacy, "did not answer within its timeout", new TaskCanceledException());

        Assert.IsType<InvalidOperationException>(_log.Exceptions[0]);
        Assert.Null(_log.Exceptions[1]);
    }

    private static HttpRequestException RefusedException() => new("refused", new SocketException((int)SocketError.ConnectionRefused));

    private sealed class LogLines : ILogger<DataPlane>
    {
        public List<string> Lines { get; } = [];

        public List<Exception?> Exceptions { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Lines.Add(formatter(state, exception));
            Exceptions.Add(exception);
        }
    }
}
