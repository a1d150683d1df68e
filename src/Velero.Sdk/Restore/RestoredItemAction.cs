namespace Velero.Sdk.Restore;

/// <summary>What a restore did with one item, as in Velero's restore resource list.</summary>
public enum RestoredItemAction
{
    /// <summary>The item was created.</summary>
    Created,

    /// <summary>The item existed and was updated (existingResourcePolicy <c>update</c>, or a ServiceAccount merge).</summary>
    Updated,

    /// <summary>The item was not created: it existed unchanged, an action skipped it, or it is left to dynamic provisioning.</summary>
    Skipped,

    /// <summary>The item could not be restored (see the restore's errors and warnings).</summary>
    Failed,
}
