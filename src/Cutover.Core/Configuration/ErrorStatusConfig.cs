namespace Cutover.Core.Configuration;

/// <summary>One entry of <c>errors.statuses</c>, <c>errors.grpcStatuses</c> or <c>failover.statuses</c> as written, with its own line: a list on several lines gets each bad entry pointed at.</summary>
/// <param name="Text">The entry, such as "5xx", "429" or "500-504"; for gRPC, "UNAVAILABLE" or "14".</param>
/// <param name="Line">The line it is on.</param>
public sealed record ErrorStatusConfig(string Text, int Line);
