namespace Velero.Sdk.Model;

/// <summary>
/// The phases of a DownloadRequest (<see cref="V1DownloadRequestStatus.Phase"/>).
/// </summary>
public static class DownloadRequestPhase
{
    /// <summary>
    /// Not yet processed.
    /// </summary>
    public const string New = "New";

    /// <summary>
    /// The download URL is available.
    /// </summary>
    public const string Processed = "Processed";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        New,
        Processed,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}
