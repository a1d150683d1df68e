namespace Velero.Sdk.Restore;

/// <summary>One item a restore handled.</summary>
/// <param name="ApiVersion">The item's API version, e.g. <c>apps/v1</c>.</param>
/// <param name="Kind">The item's kind.</param>
/// <param name="Namespace">The namespace it was restored into; <c>null</c> for cluster-scoped items.</param>
/// <param name="Name">The item's name in the cluster.</param>
/// <param name="Action">What the restore did.</param>
public sealed record RestoredItem(string ApiVersion, string Kind, string? Namespace, string Name, RestoredItemAction Action)
{
    /// <inheritdoc />
    public override string ToString() => $"{ApiVersion}/{Kind} {(Namespace is null ? Name : Namespace + "/" + Name)} ({Action.ToString().ToLowerInvariant()})";
}
