using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Storage;

/// <summary>The <c>pvInfo</c> of a <see cref="BackupVolumeInfo"/>: what a re-created PV must keep.</summary>
public sealed class PersistentVolumeInfo
{
    /// <summary>The PV's reclaim policy (<c>Delete</c>, <c>Retain</c>, ...).</summary>
    [JsonPropertyName("reclaimPolicy")]
    public string ReclaimPolicy { get; set; } = string.Empty;

    /// <summary>The PV's labels; <c>null</c> is written when there are none (as Go writes a nil map).</summary>
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>Fields a newer Velero adds.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
