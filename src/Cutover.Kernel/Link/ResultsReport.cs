namespace Cutover.Kernel.Link;

/// <summary>
/// What an application's in-process SDK counted since its last report (<c>POST /api/results</c>):
/// deltas, so a report lost on the way loses only its own stretch and nothing is counted twice.
/// </summary>
/// <param name="App">The reporting application (one process), for the control plane's logs and errors.</param>
/// <param name="Migrations">The deltas of each migration that saw traffic.</param>
/// <param name="Samples">Divergent calls kept as evidence since the last report, at most <see cref="SampleLimits.SamplesPerReport"/>; null or empty for none.</param>
public sealed record ResultsReport(string? App, IReadOnlyList<MigrationResults>? Migrations, IReadOnlyList<CallSample>? Samples = null);

/// <summary>One migration's deltas.</summary>
/// <param name="Name">The migration's name, as in the control plane's config.</param>
/// <param name="Legacy">Calls run on the legacy side.</param>
/// <param name="Candidate">Calls run on the candidate side.</param>
/// <param name="Shadow">Comparisons of shadow runs.</param>
public sealed record MigrationResults(string? Name, SideResults? Legacy, SideResults? Candidate, ShadowResults? Shadow);

/// <summary>One side's deltas.</summary>
/// <param name="Requests">Calls that finished.</param>
/// <param name="Errors">Of those, the ones that failed.</param>
/// <param name="Latency">Their latencies, as <see cref="Metrics.HistogramSnapshot.ToBytes"/> encodes them (base64 in JSON); null for none.</param>
public sealed record SideResults(long Requests, long Errors, byte[]? Latency);

/// <summary>Shadow runs' deltas.</summary>
/// <param name="Compared">Pairs compared.</param>
/// <param name="Divergent">Of those, the ones that differed.</param>
/// <param name="CandidateErrors">Shadow runs whose candidate threw or timed out.</param>
public sealed record ShadowResults(long Compared, long Divergent, long CandidateErrors);
