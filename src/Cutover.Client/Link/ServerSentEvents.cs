namespace Cutover.Client.Link;

/// <summary>One event of a server-sent event stream.</summary>
/// <param name="Name">Its <c>event:</c> field; <c>message</c> when the server gave none.</param>
/// <param name="Data">Its <c>data:</c> lines, joined by line feeds.</param>
internal sealed record ServerSentEvent(string Name, string Data);

/// <summary>Reads the events of a <c>text/event-stream</c> body, skipping comments (keep-alives).</summary>
internal static class ServerSentEvents
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body);
        string? name = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    yield return new ServerSentEvent(name ?? "message", string.Join('\n', data));
                }

                name = null;
                data.Clear();
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                // The format drops one space after the colon, not every leading space of the value.
                value = value[1..];
            }

            switch (field)
            {
                case "event": name = value; break;
                case "data": data.Add(value); break;
                default: break;
            }
        }
    }
}
