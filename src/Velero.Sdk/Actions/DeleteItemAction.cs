using System.Text.Json.Nodes;
using Velero.Sdk.Model;

namespace Velero.Sdk.Actions;

/// <summary>
/// Runs for every matching item of a backup when the backup is deleted (Velero's DeleteItemAction), e.g. to release
/// external resources. Errors are logged and do not stop the deletion.
/// </summary>
public abstract class DeleteItemAction
{
    /// <summary>The action's name.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Which items the action applies to.</summary>
    public abstract ResourceSelector AppliesTo { get; }

    /// <summary>Runs the action on one item of the backup being deleted (<paramref name="item"/> as read from the archive).</summary>
    public abstract Task ExecuteAsync(JsonObject item, V1Backup backup, CancellationToken cancellationToken);
}
