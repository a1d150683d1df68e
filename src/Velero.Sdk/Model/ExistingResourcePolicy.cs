namespace Velero.Sdk.Model;

/// <summary>
/// What a restore does with objects that already exist in the cluster (<see
/// cref="V1RestoreSpec.ExistingResourcePolicy"/>). An empty value behaves like <see cref="None"/>.
/// </summary>
public static class ExistingResourcePolicy
{
    /// <summary>
    /// Leave the existing object alone and record a warning when it differs.
    /// </summary>
    public const string None = "none";

    /// <summary>
    /// Try to update the existing object to the backed-up version.
    /// </summary>
    public const string Update = "update";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        None,
        Update,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}
