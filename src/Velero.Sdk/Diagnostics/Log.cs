using Microsoft.Extensions.Logging;

namespace Velero.Sdk.Diagnostics;

/// <summary>Log messages with stable event IDs: 1xxx backup, 2xxx restore, 3xxx storage, 4xxx hosting, 5xxx Kubernetes access.</summary>
internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Debug, "Request {Method} {Path} failed ({Reason}); retry {Attempt} in {Delay}")]
    public static partial void RequestRetry(ILogger logger, string method, string path, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(5002, LogLevel.Information, "Continue token of {Resource} expired; listing again from the start")]
    public static partial void ContinueExpired(ILogger logger, string resource);

    [LoggerMessage(5003, LogLevel.Warning, "Discovery of group version {GroupVersion} failed: {Reason}")]
    public static partial void DiscoveryGroupFailed(ILogger logger, string groupVersion, string reason);

    [LoggerMessage(1001, LogLevel.Information, "Backup {Backup} started")]
    public static partial void BackupStarted(ILogger logger, string backup);

    [LoggerMessage(1002, LogLevel.Information, "Backup {Backup} finished: {Phase}, {Items} items, {Errors} errors, {Warnings} warnings in {Duration}")]
    public static partial void BackupFinished(ILogger logger, string backup, string phase, int items, int errors, int warnings, TimeSpan duration);

    [LoggerMessage(1003, LogLevel.Error, "Backup {Backup} failed: {Reason}")]
    public static partial void BackupFailed(ILogger logger, Exception? exception, string backup, string reason);

    [LoggerMessage(1004, LogLevel.Warning, "Backup {Backup}: {Message}")]
    public static partial void BackupWarning(ILogger logger, string backup, string message);

    [LoggerMessage(1005, LogLevel.Error, "Backup {Backup}: {Message}")]
    public static partial void BackupError(ILogger logger, string backup, string message);

    [LoggerMessage(6001, LogLevel.Information, "Restore {Restore} started (dry run: {DryRun})")]
    public static partial void RestoreStarted(ILogger logger, string restore, bool dryRun);

    [LoggerMessage(6002, LogLevel.Information, "Restore {Restore} finished: {Phase}, {Items} items, {Errors} errors, {Warnings} warnings in {Duration}")]
    public static partial void RestoreFinished(ILogger logger, string restore, string phase, int items, int errors, int warnings, TimeSpan duration);

    [LoggerMessage(6003, LogLevel.Error, "Restore {Restore} failed: {Reason}")]
    public static partial void RestoreFailed(ILogger logger, Exception? exception, string restore, string reason);

    [LoggerMessage(6004, LogLevel.Debug, "Restore {Restore}: {Message}")]
    public static partial void RestoreDebug(ILogger logger, string restore, string message);
}
