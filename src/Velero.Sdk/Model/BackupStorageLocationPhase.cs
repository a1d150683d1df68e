namespace Velero.Sdk.Model;

/// <summary>
/// The phases of a BackupStorageLocation (<see cref="V1BackupStorageLocationStatus.Phase"/>). An
/// empty phase means "not yet validated" and is treated as unavailable.
/// </summary>
public static class BackupStorageLocationPhase
{
    /// <summary>
    /// The location was validated and can be used.
    /// </summary>
    public const string Available = "Available";

    /// <summary>
    /// The last validation failed; see the status message.
    /// </summary>
    public const string Unavailable = "Unavailable";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Available,
        Unavailable,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);

    /// <summary>
    /// Returns whether the phase is <see cref="Available"/>; any other value, including an empty one, means unavailable.
    /// </summary>
    /// <param name="phase">The phase to check.</param>
    /// <returns><see langword="true"/> if the location is available.</returns>
    public static bool IsAvailable(string? phase) => phase == Available;
}
