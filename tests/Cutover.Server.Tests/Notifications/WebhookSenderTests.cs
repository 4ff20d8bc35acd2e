using Cutover.Server.Notifications;

namespace Cutover.Server.Tests.Notifications;

public sealed class WebhookSenderTests
{
    [Fact]
    public void Backoff_EachAttempt_DoublesFromTheFirstDelayUpToAMinute()
    {
        var delays = Enumerable.Range(1, 9).Select(retry => WebhookSender.Backoff(retry, TimeSpan.FromSeconds(1)).TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], delays);
        Assert.Equal(TimeSpan.FromSeconds(60), WebhookSender.Backoff(100, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(40), WebhookSender.Backoff(3, TimeSpan.FromMilliseconds(10)));
    }
}
