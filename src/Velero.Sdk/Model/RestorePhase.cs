namespace Velero.Sdk.Model;

/// <summary>
/// The phases of a Velero Restore (<see cref="V1RestoreStatus.Phase"/>). An empty phase is treated
/// like <see cref="New"/>.
/// </summary>
public static class RestorePhase
{
    /// <summary>
    /// Not yet processed by the restore controller.
    /// </summary>
    public const string New = "New";

    /// <summary>
    /// The spec is invalid; nothing was restored (terminal).
    /// </summary>
    public const string FailedValidation = "FailedValidation";

    /// <summary>
    /// Items are being restored.
    /// </summary>
    public const string InProgress = "InProgress";

    /// <summary>
    /// Items are restored; asynchronous plugin operations are still running. No errors so far.
    /// </summary>
    public const string WaitingForPluginOperations = "WaitingForPluginOperations";

    /// <summary>
    /// Items are restored with errors; asynchronous plugin operations are still running.
    /// </summary>
    public const string WaitingForPluginOperationsPartiallyFailed = "WaitingForPluginOperationsPartiallyFailed";

    /// <summary>
    /// Plugin operations are done; the restore is being finalized. No errors so far.
    /// </summary>
    public const string Finalizing = "Finalizing";

    /// <summary>
    /// Plugin operations are done; the restore, which had errors, is being finalized.
    /// </summary>
    public const string FinalizingPartiallyFailed = "FinalizingPartiallyFailed";

    /// <summary>
    /// Finished without errors (terminal).
    /// </summary>
    public const string Completed = "Completed";

    /// <summary>
    /// Finished, but at least one error was recorded (terminal).
    /// </summary>
    public const string PartiallyFailed = "PartiallyFailed";

    /// <summary>
    /// Failed as a whole (terminal).
    /// </summary>
    public const string Failed = "Failed";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        New,
        FailedValidation,
        InProgress,
        WaitingForPluginOperations,
        WaitingForPluginOperationsPartiallyFailed,
        Finalizing,
        FinalizingPartiallyFailed,
        Completed,
        PartiallyFailed,
        Failed,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);

    /// <summary>
    /// Returns whether the phase means the restore is not yet processed: <see langword="null"/>, empty or <see cref="New"/>.
    /// </summary>
    /// <param name="phase">The phase to check.</param>
    /// <returns><see langword="true"/> for a new restore.</returns>
    public static bool IsNew(string? phase) => string.IsNullOrEmpty(phase) || phase == New;

    /// <summary>
    /// Returns whether the phase is final: <see cref="FailedValidation"/>, <see cref="Completed"/>,
    /// <see cref="PartiallyFailed"/> or <see cref="Failed"/>.
    /// </summary>
    /// <param name="phase">The phase to check.</param>
    /// <returns><see langword="true"/> if no controller will move the restore to another phase.</returns>
    public static bool IsTerminal(string? phase)
        => phase is FailedValidation or Completed or PartiallyFailed or Failed;
}
