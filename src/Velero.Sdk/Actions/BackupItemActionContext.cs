using System.Text.Json.Nodes;
using k8s;
using Velero.Sdk.Cluster;
using Velero.Sdk.Model;

namespace Velero.Sdk.Actions;

/// <summary>The input of a <see cref="BackupItemAction"/>.</summary>
public sealed class BackupItemActionContext
{
    internal BackupItemActionContext(JsonObject item, ResourceIdentifier identifier, V1Backup backup, IKubernetes client, ClusterLookups lookups)
    {
        Item = item;
        Identifier = identifier;
        Backup = backup;
        Client = client;
        Lookups = lookups;
    }

    /// <summary>The item, as unstructured JSON (a copy the action may change and return).</summary>
    public JsonObject Item { get; }

    /// <summary>The item's group, resource, namespace and name.</summary>
    public ResourceIdentifier Identifier { get; }

    /// <summary>The backup being taken (read it; changes are ignored).</summary>
    public V1Backup Backup { get; }

    /// <summary>A client of the cluster being backed up.</summary>
    public IKubernetes Client { get; }

    /// <summary>Cached lists for the built-in actions.</summary>
    internal ClusterLookups Lookups { get; }
}
