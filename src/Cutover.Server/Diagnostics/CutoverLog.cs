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

    [LoggerMessage(1005, LogLevel.Warning, "The store {Store} does not answer; routing stays on the last known state until it is back: {Reason}")]
    public static partial void StoreUnreachable(ILogger logger, string store, string reason);

    [LoggerMessage(1006, LogLevel.Information, "The store {Store} answers again")]
    public static partial void StoreBack(ILogger logger, string store);

    [LoggerMessage(1007, LogLevel.Warning, "Migration {Migration} was set to mode {Mode} elsewhere, which this version cannot serve; this replica keeps routing it as {Current}")]
    public static partial void ModeNotServable(ILogger logger, string migration, string mode, string current);
}
