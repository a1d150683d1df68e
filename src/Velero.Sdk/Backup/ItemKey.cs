namespace Velero.Sdk.Backup;

/// <summary>Velero's identity of a backed-up item: <c>apiVersion/Kind</c>, namespace and name, taken before actions run.</summary>
internal readonly record struct ItemKey(string ApiVersionKind, string Namespace, string Name)
{
    /// <summary>The resource-list entry: <c>ns/name</c>, or <c>name</c> for cluster-scoped items.</summary>
    public string ListEntry => Namespace.Length == 0 ? Name : Namespace + "/" + Name;
}
