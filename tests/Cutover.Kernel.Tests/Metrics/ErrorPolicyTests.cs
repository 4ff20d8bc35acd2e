using Cutover.Kernel.Metrics;

namespace Cutover.Kernel.Tests.Metrics;

/// <summary>What a migration counts as an error, request by request, and what it costs to ask.</summary>
public sealed class ErrorPolicyTests
{
    [Theory]
    [InlineData(200, false)]
    [InlineData(404, false)]
    [InlineData(429, false)]
    [InlineData(499, false)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(599, true)]
    public void Classify_DefaultPolicy_Counts5xxAndNothingBelow(int status, bool error) =>
        Assert.Equal(error ? ErrorCause.Status : ErrorCause.None, ErrorPolicy.Default.Classify(BackendOutcome.Answered, status));

    [Fact]
    public void Classify_DefaultPolicy_CountsConnectionFailuresAndTimeouts()
    {
        Assert.Equal(ErrorCause.ConnectionFailure, ErrorPolicy.Default.Classify(BackendOutcome.ConnectionFailure, 502));
        Assert.Equal(ErrorCause.Timeout, ErrorPolicy.Default.Classify(BackendOutcome.Timeout, 504));
    }

    [Theory]
    [InlineData(428, false)]
    [InlineData(429, true)]
    [InlineData(430, false)]
    [InlineData(499, false)]
    [InlineData(500, false)]
    [InlineData(501, true)]
    [InlineData(504, true)]
    [InlineData(505, false)]
    [InlineData(302, true)]
    [InlineData(100, true)]
    [InlineData(563, true)]
    [InlineData(564, false)]
    public void Classify_CodesRangesAndClasses_CountExactlyTheirStatuses(int status, bool error)
    {
        var policy = new ErrorPolicy([new StatusRange(429, 429), new StatusRange(501, 504), StatusRange.Class(3), StatusRange.Class(1), new StatusRange(563, 563)], true, true);

        Assert.Equal(error ? ErrorCause.Status : ErrorCause.None, policy.Classify(BackendOutcome.Answered, status));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(999)]
    [InlineData(-1)]
    public void Classify_StatusHttpDoesNotDefine_AlwaysCounts(int status) =>
        Assert.Equal(ErrorCause.Status, new ErrorPolicy([], true, true).Classify(BackendOutcome.Answered, status));

    [Fact]
    public void Classify_Fault_CountsByItsClassWhateverStatusTheProxyAnswered()
    {
        var noTimeouts = new ErrorPolicy(ErrorPolicy.DefaultStatuses, connectionFailures: true, timeouts: false);
        var noConnectionFailures = new ErrorPolicy(ErrorPolicy.DefaultStatuses, connectionFailures: false, timeouts: true);

        Assert.Equal(ErrorCause.None, noTimeouts.Classify(BackendOutcome.Timeout, 504));
        Assert.Equal(ErrorCause.ConnectionFailure, noTimeouts.Classify(BackendOutcome.ConnectionFailure, 502));
        Assert.Equal(ErrorCause.None, noConnectionFailures.Classify(BackendOutcome.ConnectionFailure, 502));
        Assert.Equal(ErrorCause.Timeout, noConnectionFailures.Classify(BackendOutcome.Timeout, 504));
        Assert.Equal(ErrorCause.Status, noConnectionFailures.Classify(BackendOutcome.Answered, 502));
    }

    [Theory]
    [InlineData(502)]
    [InlineData(400)]
    public void Classify_ClientBrokeOffBeforeTheAnswer_IsNeverAnErrorOfTheSide(int proxyStatus)
    {
        var everything = new ErrorPolicy([new StatusRange(100, 599)], connectionFailures: true, timeouts: true);

        Assert.Equal(ErrorCause.None, everything.Classify(BackendOutcome.ClientBrokeOff, proxyStatus));
    }

    [Fact]
    public void Classify_AnyOutcomeAndStatus_AllocatesNothing()
    {
        var policy = new ErrorPolicy([new StatusRange(429, 429), StatusRange.Class(5)], connectionFailures: true, timeouts: false);
        policy.Classify(BackendOutcome.Answered, 200);
        var counted = 0;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            counted += policy.Classify((BackendOutcome)(i % 4), 100 + (i % 500)) == ErrorCause.None ? 0 : 1;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(counted > 0);
    }

    [Fact]
    public void Equals_PoliciesThatCountTheSameRequests_AreEqual()
    {
        var written = new ErrorPolicy([new StatusRange(500, 549), new StatusRange(550, 599)], true, true);

        Assert.Equal(ErrorPolicy.Default, written);
        Assert.Equal(ErrorPolicy.Default.GetHashCode(), written.GetHashCode());
        Assert.NotEqual(ErrorPolicy.Default, new ErrorPolicy(ErrorPolicy.DefaultStatuses, true, timeouts: false));
        Assert.NotEqual(ErrorPolicy.Default, new ErrorPolicy([StatusRange.Class(5), new StatusRange(429, 429)], true, true));
    }

    [Theory]
    [InlineData("5xx", 500, 599)]
    [InlineData("4XX", 400, 499)]
    [InlineData("1xx", 100, 199)]
    [InlineData(" 429 ", 429, 429)]
    [InlineData("500-504", 500, 504)]
    [InlineData("500 - 504", 500, 504)]
    [InlineData("100-599", 100, 599)]
    public void TryParse_StatusEntry_ReadsAsAClassACodeOrARange(string text, int from, int to)
    {
        Assert.True(StatusRange.TryParse(text, out var range, out var problem), problem);
        Assert.Equal(new StatusRange(from, to), range);
    }

    [Theory]
    [InlineData("6xx", "'6xx' is not a status class; use a class such as 5xx (1xx to 5xx), a code such as 429, or a range such as 500-504")]
    [InlineData("0xx", "'0xx' is not a status class")]
    [InlineData("teapot", "'teapot' is not a status; use a class such as 5xx (1xx to 5xx), a code such as 429, or a range such as 500-504")]
    [InlineData("5x", "'5x' is not a status")]
    [InlineData("429.0", "'429.0' is not a status")]
    [InlineData("-500", "'-500' is not a status")]
    [InlineData(" ", "an empty entry; use a class such as 5xx")]
    [InlineData("600", "'600' is outside 100..599, the status codes HTTP defines; use a class such as 5xx")]
    [InlineData("99", "'99' is outside 100..599")]
    [InlineData("500-600", "'500-600' is outside 100..599")]
    [InlineData("504-500", "'504-500' is a reversed range; write the lower code first (500-504)")]
    public void TryParse_BadStatusEntry_SaysWhatIsWrongAndHowToWriteIt(string text, string expected)
    {
        Assert.False(StatusRange.TryParse(text, out _, out var problem));
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorPolicy_RangeOutsideWhatHttpDefines_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ErrorPolicy([new StatusRange(500, 600)], true, true));
}
