namespace Velero.Sdk.Model;

/// <summary>
/// Finalizers Velero puts on objects.
/// </summary>
public static class VeleroFinalizers
{
    /// <summary>
    /// On every Restore: removes the restore's files from object storage before the Restore is
    /// deleted.
    /// </summary>
    public const string RestoreExternalResources = "restores.velero.io/external-resources-finalizer";

    /// <summary>
    /// On DataUploads and DataDownloads (data mover).
    /// </summary>
    public const string DataUploadDownload = "velero.io/data-upload-download-finalizer";

    /// <summary>
    /// On PodVolumeBackups and PodVolumeRestores.
    /// </summary>
    public const string PodVolume = "velero.io/pod-volume-finalizer";

    /// <summary>
    /// On CSI VolumeSnapshotContents Velero must keep until it is done with them.
    /// </summary>
    public const string VolumeSnapshotContentProtect = "velero.io/volume-snapshot-content-protect-finalizer";
}
