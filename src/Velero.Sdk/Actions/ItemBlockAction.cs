namespace Velero.Sdk.Actions;

/// <summary>
/// Names the items that must be backed up in the same block as an item (same worker, same hook window): Velero's
/// ItemBlockAction, e.g. a pod with its volume claims. Implementations must be safe for concurrent use.
/// </summary>
public abstract class ItemBlockAction
{
    /// <summary>The action's name, e.g. <c>velero.io/pod</c>.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Which items the action applies to.</summary>
    public abstract ResourceSelector AppliesTo { get; }

    /// <summary>The items related to <see cref="BackupItemActionContext.Item"/>.</summary>
    public abstract Task<IReadOnlyList<ResourceIdentifier>> GetRelatedItemsAsync(BackupItemActionContext context, CancellationToken cancellationToken);
}
