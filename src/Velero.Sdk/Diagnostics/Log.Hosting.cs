using Microsoft.Extensions.Logging;

namespace Velero.Sdk.Diagnostics;

/// <summary>Log messages of the hosted reconciler (4xxx).</summary>
internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Velero server ready in namespace {Namespace}: controllers {Controllers} (restore-only: {RestoreOnly})")]
    public static partial void ServerReady(ILogger logger, string @namespace, string controllers, bool restoreOnly);

    [LoggerMessage(4002, LogLevel.Information, "{Identity} leads (lease {Lease})")]
    public static partial void LeadershipAcquired(ILogger logger, string identity, string lease);

    [LoggerMessage(4003, LogLevel.Warning, "{Identity} no longer leads; its controllers stop")]
    public static partial void LeadershipLost(ILogger logger, string identity);

    [LoggerMessage(4004, LogLevel.Warning, "Reconcile of {Object} by controller {Controller} failed; retry in {Delay}")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception, string controller, string @object, TimeSpan delay);

    [LoggerMessage(4005, LogLevel.Information, "Watch of {Resource} expired (410); listing again")]
    public static partial void WatchExpired(ILogger logger, string resource);

    [LoggerMessage(4006, LogLevel.Warning, "Watch of {Resource} failed: {Reason}; listing again in {Delay}")]
    public static partial void WatchFailed(ILogger logger, string resource, string reason, TimeSpan delay);

    [LoggerMessage(4007, LogLevel.Warning, "Backup storage location {Location} is unavailable: {Reason}")]
    public static partial void LocationUnavailable(ILogger logger, string location, string reason);

    [LoggerMessage(4008, LogLevel.Information, "Backup storage location {Location} created (provider {Provider})")]
    public static partial void LocationCreated(ILogger logger, string location, string provider);

    [LoggerMessage(4009, LogLevel.Warning, "Backup {Backup} was interrupted by the server stopping; the next start marks it Failed")]
    public static partial void BackupInterrupted(ILogger logger, string backup);

    [LoggerMessage(4010, LogLevel.Warning, "Marked the {Kind} {Name} Failed: it was InProgress when the server started")]
    public static partial void InterruptedRunFailed(ILogger logger, string kind, string name);

    [LoggerMessage(4011, LogLevel.Information, "Schedule {Schedule} created backup {Backup}")]
    public static partial void ScheduleBackupCreated(ILogger logger, string schedule, string backup);

    [LoggerMessage(4012, LogLevel.Information, "Schedule {Schedule} is due but its backup {Backup} has not finished; no new backup")]
    public static partial void ScheduleBackupPending(ILogger logger, string schedule, string backup);

    [LoggerMessage(4013, LogLevel.Warning, "Schedule {Schedule}: backup {Backup} already exists")]
    public static partial void ScheduleBackupExists(ILogger logger, string schedule, string backup);

    [LoggerMessage(4014, LogLevel.Information, "Backup {Backup} expired; deletion requested ({Request})")]
    public static partial void BackupExpired(ILogger logger, string backup, string request);

    [LoggerMessage(4015, LogLevel.Information, "Backup {Backup} deleted")]
    public static partial void BackupDeleted(ILogger logger, string backup);

    [LoggerMessage(4016, LogLevel.Warning, "Backup {Backup} could not be deleted: {Errors}")]
    public static partial void BackupDeletionFailed(ILogger logger, string backup, string errors);

    [LoggerMessage(4017, LogLevel.Debug, "Sync of location {Location}: backup {Backup} skipped: {Reason}")]
    public static partial void SyncSkipped(ILogger logger, string location, string backup, string reason);

    [LoggerMessage(4018, LogLevel.Information, "Sync of location {Location}: {Imported} backups imported, {Removed} removed")]
    public static partial void SyncDone(ILogger logger, string location, int imported, int removed);

    [LoggerMessage(4019, LogLevel.Information, "Download request {Request} left unprocessed: {Reason}")]
    public static partial void DownloadUnresolved(ILogger logger, string request, string reason);

    [LoggerMessage(4020, LogLevel.Warning, "Restore {Restore} failed validation: {Errors}")]
    public static partial void RestoreFailedValidation(ILogger logger, string restore, string errors);

    [LoggerMessage(4021, LogLevel.Information, "CRD {Name} {Action}")]
    public static partial void CrdInstalled(ILogger logger, string name, string action);
}
