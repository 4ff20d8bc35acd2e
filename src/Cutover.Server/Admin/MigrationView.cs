using Cutover.Core.Configuration;
using Cutover.Core.Metrics;
using Cutover.Core.Routing;
using Cutover.Core.State;

namespace Cutover.Server.Admin;

/// <summary>A migration as the admin API shows it: config, current state and per-side counts.</summary>
public sealed record MigrationView(
    string Name,
    string Mode,
    double Weight,
    long Version,
    DateTimeOffset UpdatedAt,
    string Legacy,
    string Candidate,
    MatchView Match,
    string StickyBy,
    SidesView Stats)
{
    internal static MigrationView From(MigrationDefinition definition, MigrationState state, MigrationCounters counters) => new(
        definition.Name,
        state.Mode.ToWire(),
        state.Weight,
        state.Version,
        state.UpdatedAt,
        definition.Legacy.AbsoluteUri,
        definition.Candidate.AbsoluteUri,
        new MatchView(definition.Match.PathPrefix, definition.Match.Host, definition.Match.Methods,
            definition.Match.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)),
        definition.StickyBy.ToString(),
        new SidesView(SideView.From(counters.Legacy), SideView.From(counters.Candidate)));
}

/// <summary>A migration's match, as configured.</summary>
public sealed record MatchView(string PathPrefix, string? Host, IReadOnlyList<string> Methods, IReadOnlyDictionary<string, string> Headers);

/// <summary>Counts of both sides.</summary>
public sealed record SidesView(SideView Legacy, SideView Candidate);

/// <summary>Counts of one side since this process started.</summary>
public sealed record SideView(long Requests, long Errors)
{
    internal static SideView From(SideCounters counters) => new(counters.Requests, counters.Errors);
}
