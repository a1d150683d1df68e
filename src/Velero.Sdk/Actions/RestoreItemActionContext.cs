using System.Text.Json.Nodes;
using k8s;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Actions;

/// <summary>The input of a <see cref="RestoreItemAction"/>.</summary>
public sealed class RestoreItemActionContext
{
    private readonly Restore.RestoreRun.BackedUpItem _itemFromBackup;

    internal RestoreItemActionContext(
        JsonObject item,
        Restore.RestoreRun.BackedUpItem itemFromBackup,
        ResourceIdentifier identifier,
        string? targetNamespace,
        V1Restore restore,
        NamespaceMapping namespaceMapping,
        IKubernetes client)
    {
        Item = item;
        _itemFromBackup = itemFromBackup;
        Identifier = identifier;
        TargetNamespace = targetNamespace;
        Restore = restore;
        NamespaceMapping = namespaceMapping;
        Client = client;
    }

    /// <summary>The item about to be created: metadata and status already reset (a copy the action may change and return).</summary>
    public JsonObject Item { get; }

    /// <summary>The item exactly as it is in the backup (read it; changes are ignored).</summary>
    public JsonObject ItemFromBackup => _itemFromBackup.Value;

    /// <summary>The item's group, resource, original (backup) namespace and name.</summary>
    public ResourceIdentifier Identifier { get; }

    /// <summary>The namespace the item is restored into (after the namespace mapping); <c>null</c> for cluster-scoped items.</summary>
    public string? TargetNamespace { get; }

    /// <summary>The restore being run (read it; changes are ignored).</summary>
    public V1Restore Restore { get; }

    /// <summary>The restore's namespace mapping (backup namespace to target namespace).</summary>
    public NamespaceMapping NamespaceMapping { get; }

    /// <summary>A client of the cluster being restored into.</summary>
    public IKubernetes Client { get; }

    /// <summary>The run the item belongs to (cached lookups for the built-in actions); null outside a restore.</summary>
    internal Restore.RestoreRun? Run { get; init; }
}
