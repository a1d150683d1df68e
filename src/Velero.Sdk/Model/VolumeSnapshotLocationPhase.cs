namespace Velero.Sdk.Model;

/// <summary>
/// The phases of a VolumeSnapshotLocation (<see cref="V1VolumeSnapshotLocationStatus.Phase"/>).
/// Velero never sets them.
/// </summary>
public static class VolumeSnapshotLocationPhase
{
    /// <summary>
    /// The location can be used.
    /// </summary>
    public const string Available = "Available";

    /// <summary>
    /// The location cannot be used.
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
}
