namespace Velero.Sdk.Model;

/// <summary>
/// The phases of a Velero Schedule (<see cref="V1ScheduleStatus.Phase"/>).
/// </summary>
public static class SchedulePhase
{
    /// <summary>
    /// Not yet validated.
    /// </summary>
    public const string New = "New";

    /// <summary>
    /// Valid; backups are created on schedule.
    /// </summary>
    public const string Enabled = "Enabled";

    /// <summary>
    /// Invalid (for example a bad cron expression); no backups are created.
    /// </summary>
    public const string FailedValidation = "FailedValidation";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        New,
        Enabled,
        FailedValidation,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}
