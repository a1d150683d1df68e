using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// The desired state of a Velero Backup: what to back up, where to store it and for how long.
/// </summary>
public sealed class V1BackupSpec
{
    /// <summary>
    /// Metadata to put on Backups created from a Schedule template (currently labels only).
    /// </summary>
    [JsonPropertyName("metadata")]
    public V1Metadata? Metadata { get; set; }

    /// <summary>
    /// Namespaces to include (glob patterns such as <c>*</c> or <c>app-?</c>). Empty or absent
    /// means all namespaces.
    /// </summary>
    [JsonPropertyName("includedNamespaces")]
    public IList<string>? IncludedNamespaces { get; set; }

    /// <summary>
    /// Namespaces to exclude (glob patterns). Exclusions win over inclusions.
    /// </summary>
    [JsonPropertyName("excludedNamespaces")]
    public IList<string>? ExcludedNamespaces { get; set; }

    /// <summary>
    /// Resources to include ("old-style" filter): <c>resource</c>, <c>resource.group</c> or a short
    /// name; <c>*</c> or empty means all.
    /// </summary>
    [JsonPropertyName("includedResources")]
    public IList<string>? IncludedResources { get; set; }

    /// <summary>
    /// Resources to exclude ("old-style" filter).
    /// </summary>
    [JsonPropertyName("excludedResources")]
    public IList<string>? ExcludedResources { get; set; }

    /// <summary>
    /// Cluster-scoped resources to include ("new-style" filter, since Velero 1.11). Empty means
    /// only cluster resources related to included namespaced items; <c>*</c> means all.
    /// </summary>
    [JsonPropertyName("includedClusterScopedResources")]
    public IList<string>? IncludedClusterScopedResources { get; set; }

    /// <summary>
    /// Cluster-scoped resources to exclude ("new-style" filter); <c>*</c> excludes all
    /// cluster-scoped types.
    /// </summary>
    [JsonPropertyName("excludedClusterScopedResources")]
    public IList<string>? ExcludedClusterScopedResources { get; set; }

    /// <summary>
    /// Namespace-scoped resources to include ("new-style" filter); empty means all.
    /// </summary>
    [JsonPropertyName("includedNamespaceScopedResources")]
    public IList<string>? IncludedNamespaceScopedResources { get; set; }

    /// <summary>
    /// Namespace-scoped resources to exclude ("new-style" filter); <c>*</c> excludes all namespaced
    /// types.
    /// </summary>
    [JsonPropertyName("excludedNamespaceScopedResources")]
    public IList<string>? ExcludedNamespaceScopedResources { get; set; }

    /// <summary>
    /// Item-level label filter. Absent means every item. Mutually exclusive with <see
    /// cref="OrLabelSelectors"/>.
    /// </summary>
    [JsonPropertyName("labelSelector")]
    public V1LabelSelector? LabelSelector { get; set; }

    /// <summary>
    /// Label selectors combined with OR. Mutually exclusive with <see cref="LabelSelector"/>.
    /// </summary>
    [JsonPropertyName("orLabelSelectors")]
    public IList<V1LabelSelector>? OrLabelSelectors { get; set; }

    /// <summary>
    /// Whether to snapshot persistent volumes. Absent means <see langword="true"/>; only an
    /// explicit <see langword="false"/> disables snapshots.
    /// </summary>
    [JsonPropertyName("snapshotVolumes")]
    public bool? SnapshotVolumes { get; set; }

    /// <summary>
    /// How long the backup is kept before garbage collection. A Go duration string such as
    /// <c>"720h0m0s"</c>, kept verbatim so that round trips are exact; use <see cref="GoDuration"/>
    /// to convert it to and from <see cref="TimeSpan"/>. Absent or <c>"0s"</c> means the server
    /// default <c>720h0m0s</c>.
    /// </summary>
    [JsonPropertyName("ttl")]
    public string? Ttl { get; set; }

    /// <summary>
    /// Label key used to group PVCs into CSI VolumeGroupSnapshots (server default
    /// <c>velero.io/volume-group</c>).
    /// </summary>
    [JsonPropertyName("volumeGroupSnapshotLabelKey")]
    public string? VolumeGroupSnapshotLabelKey { get; set; }

    /// <summary>
    /// "Old-style" switch for cluster-scoped resources: <see langword="true"/>, <see
    /// langword="false"/> or absent ("auto").
    /// </summary>
    [JsonPropertyName("includeClusterResources")]
    public bool? IncludeClusterResources { get; set; }

    /// <summary>
    /// Exec hooks to run in pods before and after they are backed up.
    /// </summary>
    [JsonPropertyName("hooks")]
    public V1BackupHooks? Hooks { get; set; }

    /// <summary>
    /// Name of the BackupStorageLocation to store the backup in. Absent means the default location.
    /// </summary>
    [JsonPropertyName("storageLocation")]
    public string? StorageLocation { get; set; }

    /// <summary>
    /// Names of the VolumeSnapshotLocations to use for volume snapshots.
    /// </summary>
    [JsonPropertyName("volumeSnapshotLocations")]
    public IList<string>? VolumeSnapshotLocations { get; set; }

    /// <summary>
    /// Deprecated: use <see cref="DefaultVolumesToFsBackup"/>. When <see langword="true"/> it is
    /// copied into <see cref="DefaultVolumesToFsBackup"/>.
    /// </summary>
    [JsonPropertyName("defaultVolumesToRestic")]
    public bool? DefaultVolumesToRestic { get; set; }

    /// <summary>
    /// Whether all pod volumes are backed up with file-system backup by default (opt-out mode).
    /// </summary>
    [JsonPropertyName("defaultVolumesToFsBackup")]
    public bool? DefaultVolumesToFsBackup { get; set; }

    /// <summary>
    /// Items to back up first, in order: key = plural resource name (e.g. <c>pods</c>), value =
    /// comma-separated <c>namespace/name</c> (or <c>name</c> for cluster-scoped) list.
    /// </summary>
    [JsonPropertyName("orderedResources")]
    public IDictionary<string, string>? OrderedResources { get; set; }

    /// <summary>
    /// How long to wait for a CSI VolumeSnapshot to become ready (default <c>10m0s</c>). A Go
    /// duration string such as <c>"720h0m0s"</c>, kept verbatim so that round trips are exact; use
    /// <see cref="GoDuration"/> to convert it to and from <see cref="TimeSpan"/>.
    /// </summary>
    [JsonPropertyName("csiSnapshotTimeout")]
    public string? CsiSnapshotTimeout { get; set; }

    /// <summary>
    /// How long to wait for asynchronous BackupItemAction operations (default <c>4h0m0s</c>). A Go
    /// duration string such as <c>"720h0m0s"</c>, kept verbatim so that round trips are exact; use
    /// <see cref="GoDuration"/> to convert it to and from <see cref="TimeSpan"/>.
    /// </summary>
    [JsonPropertyName("itemOperationTimeout")]
    public string? ItemOperationTimeout { get; set; }

    /// <summary>
    /// Reference to a ConfigMap (<c>kind: configmap</c>) holding resource and volume policies.
    /// </summary>
    [JsonPropertyName("resourcePolicy")]
    public V1TypedLocalObjectReference? ResourcePolicy { get; set; }

    /// <summary>
    /// Whether CSI snapshot data is moved to the backup storage by a data mover.
    /// </summary>
    [JsonPropertyName("snapshotMoveData")]
    public bool? SnapshotMoveData { get; set; }

    /// <summary>
    /// Name of the data mover; empty means the built-in <c>velero</c> data mover. Note the
    /// lowercase JSON name <c>datamover</c>.
    /// </summary>
    [JsonPropertyName("datamover")]
    public string? DataMover { get; set; }

    /// <summary>
    /// Tuning of the file-system backup uploader.
    /// </summary>
    [JsonPropertyName("uploaderConfig")]
    public V1UploaderConfigForBackup? UploaderConfig { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
