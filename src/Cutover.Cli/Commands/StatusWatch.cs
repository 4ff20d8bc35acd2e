using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Cutover.Cli.AdminApi;
using Cutover.Cli.Invocation;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Kernel.Link;
using Cutover.Server.Admin;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>cutover status --watch</c>: follows the admin API's events (<c>GET /api/events</c>, the
/// stream the SDK decides by) rather than polling, so a weight, a plan's step or a rollback shows
/// the moment the control plane makes it. In a terminal the table is redrawn on each change; in a
/// pipe or a file the table is printed once and then one line per change, and with <c>--json</c>
/// one JSON object per line, so a script can follow it. A dropped stream is reopened with backoff
/// and the changes missed meanwhile are shown; only a control plane that cannot be reached at all
/// at the start is an error.
/// </summary>
/// <param name="client">The admin API.</param>
/// <param name="output">Where to write.</param>
/// <param name="one">The one migration to follow; all when null.</param>
/// <param name="group">Only the migrations of this group; all when null.</param>
/// <param name="json">One JSON line (the migration's view) per change instead of text.</param>
internal sealed class StatusWatch(AdminClient client, CliOutput output, string? one, string? group, bool json)
{
    private static readonly JsonSerializerOptions Line = new(AdminClient.Json) { WriteIndented = false };

    // The version of each migration already shown; a change at or below it was shown (or is older).
    private readonly Dictionary<string, long> _shown = new(StringComparer.Ordinal);
    private bool _started;

    /// <summary>Follows until <paramref name="cancellationToken"/> (Ctrl+C) ends it, then exits cleanly.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // Real time: the CLI is a process of its own, with no clock to inject.
        var backoff = new ReconnectBackoff(TimeProvider.System);
        var reconnecting = false;
        while (true)
        {
            try
            {
                using var events = await client.OpenStreamAsync("api/events", cancellationToken);
                if (reconnecting)
                {
                    await output.Error.WriteLineAsync("watch: reconnected.");
                    reconnecting = false;
                }

                backoff.Reset();
                await FollowAsync(new SilentStreamGuard(await events.Content.ReadAsStreamAsync(cancellationToken), SilentStreamGuard.DefaultLimit), cancellationToken);
                reconnecting = await LostAsync(reconnecting, "the admin API closed the event stream");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
            catch (AdminUnreachableException e) when (_started)
            {
                reconnecting = await LostAsync(reconnecting, e.Problem);
            }
            catch (Exception e) when (_started && e is HttpRequestException or IOException)
            {
                reconnecting = await LostAsync(reconnecting, $"the event stream broke ({e.Message})");
            }

            if (!await backoff.WaitAsync(cancellationToken))
            {
                return ExitCodes.Ok;
            }
        }
    }

    /// <summary>Says once per outage that the watch lost the control plane (on stderr, so the watched output stays clean).</summary>
    private async Task<bool> LostAsync(bool reconnecting, string why)
    {
        if (!reconnecting)
        {
            await output.Error.WriteLineAsync($"watch: {TerminalText.Clean(why)}; reconnecting until it answers (Ctrl+C stops).");
        }

        return true;
    }

    private async Task FollowAsync(Stream body, CancellationToken cancellationToken)
    {
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            var states = item.EventType switch
            {
                LinkEvents.Snapshot => JsonSerializer.Deserialize<StateSnapshot>(item.Data, JsonSerializerOptions.Web)?.Migrations,
                LinkEvents.State => JsonSerializer.Deserialize<MigrationStateEvent>(item.Data, JsonSerializerOptions.Web) is { } state ? [state] : null,
                _ => null,
            };
            if (states is not null)
            {
                await ShowAsync(states, cancellationToken);
            }
        }
    }

    /// <summary>Shows what is new in <paramref name="states"/>: everything the first time, then only versions not shown yet.</summary>
    private async Task ShowAsync(IReadOnlyList<MigrationStateEvent> states, CancellationToken cancellationToken)
    {
        var changed = states.Where(s => (one is null || s.Name == one) && (!_shown.TryGetValue(s.Name, out var shown) || s.Version > shown)).ToList();
        if (!_started)
        {
            await FirstAsync(cancellationToken);
            _started = true;
        }
        else if (changed.Count == 0)
        {
            return;
        }
        else if (output.IsTerminal && !json)
        {
            await RedrawAsync(cancellationToken);
        }
        else
        {
            foreach (var state in changed)
            {
                await WriteChangeAsync(await client.GetAsync<JsonElement>($"api/migrations/{Uri.EscapeDataString(state.Name)}", cancellationToken));
            }
        }

        // Only once shown: a change whose view could not be fetched (the stream dropped meanwhile) is shown after the reconnect.
        foreach (var state in changed)
        {
            _shown[state.Name] = Math.Max(state.Version, _shown.GetValueOrDefault(state.Name));
        }
    }

    /// <summary>The status as it is when the watch starts.</summary>
    private async Task FirstAsync(CancellationToken cancellationToken)
    {
        if (json)
        {
            foreach (var view in await client.GetAsync<List<JsonElement>>("api/migrations", cancellationToken))
            {
                await WriteChangeAsync(view);
            }
        }
        else if (output.IsTerminal)
        {
            await RedrawAsync(cancellationToken);
        }
        else
        {
            await StatusCommand.WriteTableAsync(client, output, await StatusCommand.MigrationsAsync(client, one, group, cancellationToken), group, one is null, cancellationToken);
            await output.Out.WriteLineAsync("Changes (Ctrl+C stops):");
        }
    }

    private async Task RedrawAsync(CancellationToken cancellationToken)
    {
        var migrations = await StatusCommand.MigrationsAsync(client, one, group, cancellationToken);
        output.Console.Clear(home: true);
        await StatusCommand.WriteTableAsync(client, output, migrations, one is null ? group : migrations[0].Group, one is null, cancellationToken);
        output.Console.WriteLine();
        output.Console.WriteLine("Watching for changes; Ctrl+C stops.");
    }

    /// <summary>One line for one migration's view, unless it is filtered out.</summary>
    private async Task WriteChangeAsync(JsonElement element)
    {
        var view = element.Deserialize<MigrationView>(AdminClient.Json)!;
        if ((one is not null && view.Name != one) || (group is not null && view.Group != group))
        {
            return;
        }

        // The view may already be newer than the event that asked for it; its own event is then not shown again.
        _shown[view.Name] = Math.Max(view.Version, _shown.GetValueOrDefault(view.Name));
        await output.Out.WriteLineAsync(json
            ? JsonOutput.Serialize(element, Line)
            : string.Create(CultureInfo.InvariantCulture,
                $"{CliFormat.Time(view.UpdatedAt)}  {TerminalText.Clean(view.Name)}  {TerminalText.Clean(view.Mode)} {view.Weight:0.##}%  plan {FleetRenderer.Plan(view.Plan, null)}  version {view.Version}"));
        await output.Out.FlushAsync();
    }
}
