namespace Velero.Sdk.Model;

/// <summary>
/// The access modes of a BackupStorageLocation (<see
/// cref="V1BackupStorageLocationSpec.AccessMode"/>). An empty value behaves like <see
/// cref="ReadWrite"/>.
/// </summary>
public static class BackupStorageLocationAccessMode
{
    /// <summary>
    /// Backups can be read and restored, but not created, deleted or garbage collected.
    /// </summary>
    public const string ReadOnly = "ReadOnly";

    /// <summary>
    /// Full access (the default).
    /// </summary>
    public const string ReadWrite = "ReadWrite";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ReadOnly,
        ReadWrite,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);

    /// <summary>
    /// Returns whether the access mode is <see cref="ReadOnly"/>; any other value, including an empty one, means read-write.
    /// </summary>
    /// <param name="accessMode">The access mode to check.</param>
    /// <returns><see langword="true"/> if the location is read-only.</returns>
    public static bool IsReadOnly(string? accessMode) => accessMode == ReadOnly;
}
