namespace Velero.Sdk.Actions;

/// <summary>
/// Changes an item as it is backed up and/or names other items to back up with it (Velero's BackupItemAction v2). Items
/// are unstructured JSON, so fields no model knows survive. Implementations must be safe for concurrent use.
/// </summary>
public abstract class BackupItemAction
{
    /// <summary>The action's name, e.g. <c>example.com/redact-secrets</c>; used in logs and results.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Which items the action applies to.</summary>
    public abstract ResourceSelector AppliesTo { get; }

    /// <summary>
    /// Runs the action on one item. Return the item (changed or not) and the additional items to back up before it. Throwing
    /// fails the item (it is not written; the backup ends PartiallyFailed).
    /// </summary>
    public abstract Task<BackupItemActionResult> ExecuteAsync(BackupItemActionContext context, CancellationToken cancellationToken);
}
