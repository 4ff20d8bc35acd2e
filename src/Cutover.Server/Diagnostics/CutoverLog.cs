using Microsoft.Extensions.Logging;

namespace Cutover.Server.Diagnostics;

/// <summary>Every log message Cutover writes, with stable event ids operators can alert on.</summary>
internal static partial class CutoverLog
{
    [LoggerMessage(1001, LogLevel.Information, "Loaded {Count} migration(s) from the store {Store}")]
    public static partial void SnapshotLoaded(ILogger logger, int count, string store);

    [LoggerMessage(1002, LogLevel.Information, "Migration {Migration}: {Action} {Before} -> {After} by {Actor} ({Reason})")]
    public static partial void StateChanged(ILogger logger, string migration, string action, string before, string after, string actor, string reason);

    [LoggerMessage(1003, LogLevel.Information, "Data plane listening on {Address}")]
    public static partial void DataPlaneListening(ILogger logger, string address);

    [LoggerMessage(1004, LogLevel.Information, "Admin API listening on {Address}")]
    public static partial void AdminListening(ILogger logger, string address);

    [LoggerMessage(1072, LogLevel.Information, "TLS for {Listener}: versions {Versions}, certificates {Certificates}; their files are read again when they change")]
    public static partial void CertificatesServed(ILogger logger, string listener, string versions, string certificates);

    [LoggerMessage(1070, LogLevel.Information, "TLS certificates of {Listener} reloaded after their files changed; new handshakes get {Certificates}")]
    public static partial void CertificatesReloaded(ILogger logger, string listener, string certificates);

    [LoggerMessage(1071, LogLevel.Error, "The changed TLS files of {Listener} were refused, and the certificates loaded before keep serving ({Serving}): {Problems}. Fix the files; they are read again when they change")]
    public static partial void CertificatesRefused(ILogger logger, string listener, string problems, string serving);

    [LoggerMessage(1005, LogLevel.Warning, "The store {Store} does not answer; routing stays on the last known state until it is back: {Reason}")]
    public static partial void StoreUnreachable(ILogger logger, string store, string reason);

    [LoggerMessage(1006, LogLevel.Information, "The store {Store} answers again")]
    public static partial void StoreBack(ILogger logger, string store);

    [LoggerMessage(1008, LogLevel.Warning, "Shadow evidence of migration {Migration} could not be written to the store {Store}; it is kept in memory (bounded) and retried: {Reason}")]
    public static partial void EvidenceNotStored(ILogger logger, string migration, string store, string reason);

    [LoggerMessage(1009, LogLevel.Information, "Shadow evidence of migration {Migration} is being written to the store again")]
    public static partial void EvidenceStoredAgain(ILogger logger, string migration);

    [LoggerMessage(1010, LogLevel.Error, "A shadow copy of migration {Migration} ({Endpoint}) failed inside Cutover; the user was served and the copy is lost")]
    public static partial void ShadowCopyFailed(ILogger logger, string migration, string endpoint, Exception exception);

    [LoggerMessage(1055, LogLevel.Warning, "Shadow copies of migration {Migration} are being dropped: {Reason}; users are still served, and copies are queued again once there is room")]
    public static partial void ShadowCopiesDropped(ILogger logger, string migration, string reason);

    [LoggerMessage(1056, LogLevel.Information, "The shadow queues drained after holding up to {Peak} bytes; memory given back, working set {Before} -> {After} bytes")]
    public static partial void ShadowMemoryReclaimed(ILogger logger, long peak, long before, long after);

    [LoggerMessage(1011, LogLevel.Warning, "Webhook {Webhook} gave up on the {Kind} event of migration {Migration} (id {EventId}) after {Attempts} attempt(s); the last failed with {Reason}")]
    public static partial void WebhookGaveUp(ILogger logger, string webhook, string kind, string migration, string eventId, int attempts, string reason);

    [LoggerMessage(1012, LogLevel.Warning, "Webhook {Webhook} refused the {Kind} event of migration {Migration} (id {EventId}) with {Reason}; not retried, as the answer would be the same: check the webhook's URL, headers and format")]
    public static partial void WebhookRefused(ILogger logger, string webhook, string kind, string migration, string eventId, string reason);

    [LoggerMessage(1013, LogLevel.Warning, "Webhook {Webhook} has {Capacity} events waiting, so the oldest, the {Kind} event of migration {Migration} (id {EventId}), was dropped; the receiver is down or too slow")]
    public static partial void WebhookQueueFull(ILogger logger, string webhook, int capacity, string kind, string migration, string eventId);

    [LoggerMessage(1014, LogLevel.Warning, "Webhook {Webhook}: {Count} event(s) were not delivered before shutdown and are lost")]
    public static partial void WebhookAbandoned(ILogger logger, string webhook, int count);

    [LoggerMessage(1015, LogLevel.Error, "Webhook {Webhook}: the {Kind} event of migration {Migration} (id {EventId}) failed inside Cutover and is lost")]
    public static partial void WebhookFault(ILogger logger, string webhook, string kind, string migration, string eventId, Exception exception);

    [LoggerMessage(1016, LogLevel.Debug, "Webhook {Webhook}: attempt {Attempt} of the {Kind} event of migration {Migration} (id {EventId}) failed with {Reason}; retrying in {Delay}")]
    public static partial void WebhookAttemptFailed(ILogger logger, string webhook, int attempt, string kind, string migration, string eventId, string reason, TimeSpan delay);

    [LoggerMessage(1017, LogLevel.Warning, "Webhook {Webhook}: the {Kind} event of migration {Migration} (id {EventId}) was not sent: {Reason}; webhooks may not reach that address, so nothing was connected to. Point the webhook at its receiver, or add allowPrivate: true to it if that address is meant")]
    public static partial void WebhookTargetRefused(ILogger logger, string webhook, string kind, string migration, string eventId, string reason);

    [LoggerMessage(1020, LogLevel.Information, "The plan of migration {Migration} did not move: {Title}. {Detail}")]
    public static partial void RolloutMoveRefused(ILogger logger, string migration, string title, string detail);

    [LoggerMessage(1021, LogLevel.Information, "Migration {Migration} rolled back: {InFlight} candidate requests still in flight after {Milliseconds:0} ms of draining")]
    public static partial void RollbackDrained(ILogger logger, string migration, long inFlight, double milliseconds);

    [LoggerMessage(1030, LogLevel.Warning, "This replica's metrics could not be traded through the store {Store}: plans are judged on this replica's own traffic and what was last read of the others until it answers: {Reason}")]
    public static partial void MetricsExchangeFailed(ILogger logger, string store, string reason);

    [LoggerMessage(1031, LogLevel.Information, "This replica's metrics are traded through the store {Store} again")]
    public static partial void MetricsExchangeRecovered(ILogger logger, string store);

    [LoggerMessage(1032, LogLevel.Information, "This replica ({Replica}) now runs the plans")]
    public static partial void LeaseTaken(ILogger logger, string replica);

    [LoggerMessage(1033, LogLevel.Warning, "This replica ({Replica}) stopped running the plans: {Reason}")]
    public static partial void LeaseLost(ILogger logger, string replica, string reason);

    [LoggerMessage(1022, LogLevel.Error, "The orchestrator failed looking at the plans; it looks again at the next tick")]
    public static partial void RolloutTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(1023, LogLevel.Warning, "Migration {Migration}: the plan another replica applied is not followed here, which keeps its own: {Reason}")]
    public static partial void AppliedPlanIgnored(ILogger logger, string migration, string reason);

    [LoggerMessage(1040, LogLevel.Warning, "Admin API refused {Method} {Path} from {Client}: {Reason}")]
    public static partial void AdminRefused(ILogger logger, string method, string path, string client, string reason);

    [LoggerMessage(1041, LogLevel.Warning, "Admin API: {Client} failed {Count} times within {Window}s; its calls get 429 until the window ends")]
    public static partial void AdminThrottled(ILogger logger, string client, int count, double window);

    [LoggerMessage(1042, LogLevel.Warning, "The admin tokens could not be read from the store {Store}; the ones read last stay in force: {Reason}")]
    public static partial void TokensUnreadable(ILogger logger, string store, string reason);

    [LoggerMessage(1043, LogLevel.Information, "The admin tokens are read from the store {Store} again")]
    public static partial void TokensReadAgain(ILogger logger, string store);

    [LoggerMessage(1044, LogLevel.Warning, "adminAuth is tokens, but the store {Store} holds no token, so every admin call is refused; make the first one with `cutover token create NAME --role admin --store STORE`")]
    public static partial void NoTokens(ILogger logger, string store);

    [LoggerMessage(1045, LogLevel.Warning, "The admin API listens on {Address}, off loopback, over plain http: tokens cross the network in clear unless TLS is terminated in front of it; serve it over https (adminTls)")]
    public static partial void AdminInClear(ILogger logger, string address);

    [LoggerMessage(1050, LogLevel.Warning, "{Failure} Failures like this are counted and their number logged every {Interval}s while they go on.")]
    public static partial void ForwardFailed(ILogger logger, string failure, int interval, Exception? exception);

    [LoggerMessage(1051, LogLevel.Warning, "{Failure} Again {Count} times in the last {Interval}s.")]
    public static partial void ForwardFailedAgain(ILogger logger, string failure, int count, int interval);

    [LoggerMessage(1076, LogLevel.Information, "The garbage collector's gen0 budget is at most {BudgetMiB} MiB (the workstation collector, which .NET uses on one core), so a busy proxy spends much of its CPU collecting; start Cutover with DOTNET_GCgen0size=0x4000000 in its environment for 64 MiB (./cutover does): see docs/configuration.md, \"The garbage collector\"")]
    public static partial void SmallGen0Budget(ILogger logger, long budgetMiB);

    [LoggerMessage(1052, LogLevel.Information, "The data plane holds at most {DataPlane} connections at once ({Source}), the admin API {Admin}; more are refused until some close")]
    public static partial void ConnectionLimits(ILogger logger, int dataPlane, string source, int admin);

    [LoggerMessage(1060, LogLevel.Warning, "The store {Store} was empty: a new one was created and {Count} migration(s) seeded from the config file {File}. On a first start that is expected; otherwise the store was lost (a deleted file, another database) with every state and audit row it held: stop Cutover and put the store back from a backup")]
    public static partial void StoreCreated(ILogger logger, string store, int count, string file);

    [LoggerMessage(1061, LogLevel.Warning, "Migration {Migration}: the store wins over the config file {File}, which this start did not apply: {Differences}. To run what the file says, apply it with `cutover apply -f {File}`")]
    public static partial void StoreWinsOverFile(ILogger logger, string migration, string differences, string file);

    [LoggerMessage(1075, LogLevel.Warning, "INSECURE: the TLS certificate of {Backend} is not checked (tls.insecureSkipVerify: true): {Risk}")]
    public static partial void BackendUnverified(ILogger logger, string backend, string risk);
}
