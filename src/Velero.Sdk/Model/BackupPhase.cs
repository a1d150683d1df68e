namespace Velero.Sdk.Model;

/// <summary>
/// The phases of a Velero Backup (<see cref="V1BackupStatus.Phase"/>). An empty phase is treated
/// like <see cref="New"/>.
/// </summary>
public static class BackupPhase
{
    /// <summary>
    /// Not yet processed by any controller.
    /// </summary>
    public const string New = "New";

    /// <summary>
    /// Waiting in the backup queue.
    /// </summary>
    public const string Queued = "Queued";

    /// <summary>
    /// Taken off the queue; the backup controller will validate and run it.
    /// </summary>
    public const string ReadyToStart = "ReadyToStart";

    /// <summary>
    /// The spec is invalid; nothing was backed up (terminal).
    /// </summary>
    public const string FailedValidation = "FailedValidation";

    /// <summary>
    /// Items are being backed up.
    /// </summary>
    public const string InProgress = "InProgress";

    /// <summary>
    /// Items are written; asynchronous plugin operations are still running. No errors so far.
    /// </summary>
    public const string WaitingForPluginOperations = "WaitingForPluginOperations";

    /// <summary>
    /// Items are written with errors; asynchronous plugin operations are still running.
    /// </summary>
    public const string WaitingForPluginOperationsPartiallyFailed = "WaitingForPluginOperationsPartiallyFailed";

    /// <summary>
    /// Plugin operations are done; the backup is being finalized. No errors so far.
    /// </summary>
    public const string Finalizing = "Finalizing";

    /// <summary>
    /// Plugin operations are done; the backup, which had errors, is being finalized.
    /// </summary>
    public const string FinalizingPartiallyFailed = "FinalizingPartiallyFailed";

    /// <summary>
    /// Finished without errors (terminal).
    /// </summary>
    public const string Completed = "Completed";

    /// <summary>
    /// Finished, but at least one error was logged (terminal).
    /// </summary>
    public const string PartiallyFailed = "PartiallyFailed";

    /// <summary>
    /// Failed as a whole (terminal).
    /// </summary>
    public const string Failed = "Failed";

    /// <summary>
    /// Being deleted by a DeleteBackupRequest.
    /// </summary>
    public const string Deleting = "Deleting";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        New,
        Queued,
        ReadyToStart,
        FailedValidation,
        InProgress,
        WaitingForPluginOperations,
        WaitingForPluginOperationsPartiallyFailed,
        Finalizing,
        FinalizingPartiallyFailed,
        Completed,
        PartiallyFailed,
        Failed,
        Deleting,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);

    /// <summary>
    /// Returns whether the phase means the backup is not yet processed: <see langword="null"/>, empty or <see cref="New"/>.
    /// </summary>
    /// <param name="phase">The phase to check.</param>
    /// <returns><see langword="true"/> for a new backup.</returns>
    public static bool IsNew(string? phase) => string.IsNullOrEmpty(phase) || phase == New;

    /// <summary>
    /// Returns whether the phase is final: <see cref="FailedValidation"/>, <see cref="Completed"/>,
    /// <see cref="PartiallyFailed"/> or <see cref="Failed"/>.
    /// </summary>
    /// <param name="phase">The phase to check.</param>
    /// <returns><see langword="true"/> if no controller will move the backup to another phase (other than deletion).</returns>
    public static bool IsTerminal(string? phase)
        => phase is FailedValidation or Completed or PartiallyFailed or Failed;
}
