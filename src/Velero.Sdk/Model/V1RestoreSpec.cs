using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// The desired state of a Velero Restore: which backup to restore and how.
/// </summary>
public sealed class V1RestoreSpec
{
    /// <summary>
    /// Name of the Backup to restore. Exactly one of <see cref="BackupName"/> and <see
    /// cref="ScheduleName"/> must be set.
    /// </summary>
    [JsonPropertyName("backupName")]
    public string? BackupName { get; set; }

    /// <summary>
    /// Restore from the most recent completed Backup of this Schedule.
    /// </summary>
    [JsonPropertyName("scheduleName")]
    public string? ScheduleName { get; set; }

    /// <summary>
    /// Namespaces (in the backup) to restore; empty means all.
    /// </summary>
    [JsonPropertyName("includedNamespaces")]
    public IList<string>? IncludedNamespaces { get; set; }

    /// <summary>
    /// Namespaces (in the backup) not to restore.
    /// </summary>
    [JsonPropertyName("excludedNamespaces")]
    public IList<string>? ExcludedNamespaces { get; set; }

    /// <summary>
    /// Resources to restore; empty means all.
    /// </summary>
    [JsonPropertyName("includedResources")]
    public IList<string>? IncludedResources { get; set; }

    /// <summary>
    /// Resources not to restore.
    /// </summary>
    [JsonPropertyName("excludedResources")]
    public IList<string>? ExcludedResources { get; set; }

    /// <summary>
    /// Source namespace to target namespace; unlisted namespaces keep their name.
    /// </summary>
    [JsonPropertyName("namespaceMapping")]
    public IDictionary<string, string>? NamespaceMapping { get; set; }

    /// <summary>
    /// Only items with matching labels are restored. Mutually exclusive with <see
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
    /// Whether to restore volumes from snapshots. Absent means yes; only <see langword="false"/>
    /// disables.
    /// </summary>
    [JsonPropertyName("restorePVs")]
    public bool? RestorePVs { get; set; }

    /// <summary>
    /// Which resources get their <c>status</c> restored.
    /// </summary>
    [JsonPropertyName("restoreStatus")]
    public V1RestoreStatusSpec? RestoreStatus { get; set; }

    /// <summary>
    /// Whether Service node ports are kept; absent or <see langword="false"/> clears them.
    /// </summary>
    [JsonPropertyName("preserveNodePorts")]
    public bool? PreserveNodePorts { get; set; }

    /// <summary>
    /// Whether cluster-scoped resources are restored: <see langword="true"/>, <see
    /// langword="false"/> or absent ("auto").
    /// </summary>
    [JsonPropertyName("includeClusterResources")]
    public bool? IncludeClusterResources { get; set; }

    /// <summary>
    /// Hooks run in restored pods.
    /// </summary>
    [JsonPropertyName("hooks")]
    public V1RestoreHooks? Hooks { get; set; }

    /// <summary>
    /// What to do with objects that already exist: <see cref="Model.ExistingResourcePolicy.None"/>
    /// (default) or <see cref="Model.ExistingResourcePolicy.Update"/>.
    /// </summary>
    [JsonPropertyName("existingResourcePolicy")]
    public string? ExistingResourcePolicy { get; set; }

    /// <summary>
    /// How long to wait for asynchronous RestoreItemAction operations (default <c>4h0m0s</c>). A Go
    /// duration string such as <c>"720h0m0s"</c>, kept verbatim so that round trips are exact; use
    /// <see cref="GoDuration"/> to convert it to and from <see cref="TimeSpan"/>.
    /// </summary>
    [JsonPropertyName("itemOperationTimeout")]
    public string? ItemOperationTimeout { get; set; }

    /// <summary>
    /// Reference to a ConfigMap (<c>kind: configmap</c>) holding resource modifier rules.
    /// </summary>
    [JsonPropertyName("resourceModifier")]
    public V1TypedLocalObjectReference? ResourceModifier { get; set; }

    /// <summary>
    /// Tuning of the file-system restore uploader.
    /// </summary>
    [JsonPropertyName("uploaderConfig")]
    public V1UploaderConfigForRestore? UploaderConfig { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
