namespace Velero.Sdk.Model;

/// <summary>
/// The phases of a ServerStatusRequest (<see cref="V1ServerStatusRequestStatus.Phase"/>).
/// </summary>
public static class ServerStatusRequestPhase
{
    /// <summary>
    /// Not yet processed.
    /// </summary>
    public const string New = "New";

    /// <summary>
    /// The server version and plugins are filled in.
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
