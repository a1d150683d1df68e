namespace Velero.Sdk.Model;

/// <summary>
/// The kinds of Velero plugins, as reported in <see cref="V1PluginInfo.Kind"/>.
/// </summary>
public static class PluginKind
{
    /// <summary>
    /// An object store for backup storage locations.
    /// </summary>
    public const string ObjectStore = "ObjectStore";

    /// <summary>
    /// A volume snapshotter for volume snapshot locations.
    /// </summary>
    public const string VolumeSnapshotter = "VolumeSnapshotter";

    /// <summary>
    /// A version 1 backup item action.
    /// </summary>
    public const string BackupItemAction = "BackupItemAction";

    /// <summary>
    /// A version 2 backup item action (asynchronous operations).
    /// </summary>
    public const string BackupItemActionV2 = "BackupItemActionV2";

    /// <summary>
    /// A version 1 restore item action.
    /// </summary>
    public const string RestoreItemAction = "RestoreItemAction";

    /// <summary>
    /// A version 2 restore item action (asynchronous operations).
    /// </summary>
    public const string RestoreItemActionV2 = "RestoreItemActionV2";

    /// <summary>
    /// A delete item action, run when a backup is deleted.
    /// </summary>
    public const string DeleteItemAction = "DeleteItemAction";

    /// <summary>
    /// An item block action, grouping related items.
    /// </summary>
    public const string ItemBlockAction = "ItemBlockAction";

    /// <summary>
    /// Internal: lists the plugins of a plugin binary.
    /// </summary>
    public const string PluginLister = "PluginLister";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ObjectStore,
        VolumeSnapshotter,
        BackupItemAction,
        BackupItemActionV2,
        RestoreItemAction,
        RestoreItemActionV2,
        DeleteItemAction,
        ItemBlockAction,
        PluginLister,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}
