using System.Text.Json.Nodes;

namespace Velero.Sdk.Actions;

/// <summary>The output of a <see cref="BackupItemAction"/>.</summary>
public sealed class BackupItemActionResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="updatedItem">The item to write (the input item, changed or not).</param>
    /// <param name="additionalItems">Items to back up before this one.</param>
    public BackupItemActionResult(JsonObject updatedItem, IReadOnlyList<ResourceIdentifier>? additionalItems = null)
    {
        UpdatedItem = updatedItem ?? throw new ArgumentNullException(nameof(updatedItem));
        AdditionalItems = additionalItems ?? [];
    }

    /// <summary>The item to write.</summary>
    public JsonObject UpdatedItem { get; }

    /// <summary>Items to back up before this one (they pass the backup's filters unless the item is annotated
    /// <c>backup.velero.io/must-include-additional-items: "true"</c>).</summary>
    public IReadOnlyList<ResourceIdentifier> AdditionalItems { get; }

    /// <summary>An asynchronous operation started by the action (Velero v2 actions), or null.</summary>
    public string? OperationId { get; init; }

    /// <summary>Items to back up again once the operation completes.</summary>
    public IReadOnlyList<ResourceIdentifier> PostOperationItems { get; init; } = [];
}
