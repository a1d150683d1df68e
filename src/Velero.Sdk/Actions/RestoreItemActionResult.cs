using System.Text.Json.Nodes;

namespace Velero.Sdk.Actions;

/// <summary>The output of a <see cref="RestoreItemAction"/>.</summary>
public sealed class RestoreItemActionResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="updatedItem">The item to create (the input item, changed or not).</param>
    /// <param name="additionalItems">Items of the backup to restore before this one (read from the backup, namespace mapping applied).</param>
    public RestoreItemActionResult(JsonObject updatedItem, IReadOnlyList<ResourceIdentifier>? additionalItems = null)
    {
        UpdatedItem = updatedItem ?? throw new ArgumentNullException(nameof(updatedItem));
        AdditionalItems = additionalItems ?? [];
    }

    /// <summary>The item to create.</summary>
    public JsonObject UpdatedItem { get; }

    /// <summary>Items of the backup to restore before this one; identifiers name the item as it is in the backup (original namespace).</summary>
    public IReadOnlyList<ResourceIdentifier> AdditionalItems { get; }

    /// <summary>Whether the item must not be restored (Velero's <c>SkipRestore</c>); it is recorded as skipped.</summary>
    public bool SkipRestore { get; init; }

    /// <summary>Whether to wait until the additional items are ready before this item is created.</summary>
    public bool WaitForAdditionalItems { get; init; }

    /// <summary>How long to wait for the additional items to be ready; <c>null</c> means the restore's resource timeout.</summary>
    public TimeSpan? AdditionalItemsReadyTimeout { get; init; }

    /// <summary>A result that skips the item.</summary>
    public static RestoreItemActionResult Skip(JsonObject item) => new(item) { SkipRestore = true };
}
