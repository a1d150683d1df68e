namespace Velero.Sdk.Actions;

/// <summary>
/// Changes an item as it is restored, skips it, or names other items of the backup to restore before it (Velero's
/// RestoreItemAction v2). Items are unstructured JSON, so fields no model knows survive. Implementations must be safe for
/// concurrent use: a restore runs several items at once.
/// </summary>
/// <example>
/// <code>
/// sealed class DropAnnotation : RestoreItemAction
/// {
///     public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("configmaps");
///     public override Task&lt;RestoreItemActionResult&gt; ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
///     {
///         (context.Item["metadata"]?["annotations"] as JsonObject)?.Remove("example.com/owner");
///         return Task.FromResult(new RestoreItemActionResult(context.Item));
///     }
/// }
/// </code>
/// </example>
public abstract class RestoreItemAction
{
    /// <summary>The action's name, e.g. <c>example.com/strip-owner</c>; used in logs and results.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>
    /// Which items the action applies to. Namespace selectors are matched against the item's <em>target</em> namespace (after
    /// the namespace mapping), label selectors against the item's labels, as in Velero.
    /// </summary>
    public abstract ResourceSelector AppliesTo { get; }

    /// <summary>
    /// Runs the action on one item. Return the item to create (changed or not), or <see cref="RestoreItemActionResult.Skip"/>.
    /// Throwing fails the item: it is not restored and the restore ends PartiallyFailed
    /// (<c>error preparing &lt;resource&gt;: &lt;message&gt;</c>).
    /// </summary>
    public abstract Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken);
}
