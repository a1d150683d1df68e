namespace Velero.Sdk.Model;

/// <summary>
/// The phases of a DeleteBackupRequest (<see cref="V1DeleteBackupRequestStatus.Phase"/>).
/// </summary>
public static class DeleteBackupRequestPhase
{
    /// <summary>
    /// Not yet processed.
    /// </summary>
    public const string New = "New";

    /// <summary>
    /// The backup is being deleted.
    /// </summary>
    public const string InProgress = "InProgress";

    /// <summary>
    /// Processing finished (see the status errors for failures).
    /// </summary>
    public const string Processed = "Processed";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        New,
        InProgress,
        Processed,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}
