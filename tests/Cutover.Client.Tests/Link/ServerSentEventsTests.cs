using System.Text;
using Cutover.Client.Link;

namespace Cutover.Client.Tests.Link;

public sealed class ServerSentEventsTests
{
    [Fact]
    public async Task ReadAsync_SkipsCommentsAndJoinsDataLines()
    {
        const string stream = "event: snapshot\ndata: {\"a\":1}\n\n: keep-alive\n\ndata: one\ndata:two\n\nevent: state\ndata: {}\n\nevent: cut";
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(stream));

        var events = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEvents.ReadAsync(body, CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal([new("snapshot", "{\"a\":1}"), new("message", "one\ntwo"), new("state", "{}")], events);
    }

    [Fact]
    public async Task ReadAsync_DropsOneSpaceAfterTheColon_NotTheValuesOwnLeadingSpaces()
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes("data:   indented\n\n"));

        var events = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEvents.ReadAsync(body, CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal([new("message", "  indented")], events);
    }
}
