using Velero.Sdk.Model;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Restore;

/// <summary>The outcome of a restore: the Restore resource with its final status, the problems met and the items handled.</summary>
public sealed class RestoreResult
{
    internal RestoreResult(V1Restore restore, OperationResults results, IReadOnlyList<RestoredItem> items, TimeSpan duration)
    {
        Restore = restore;
        Errors = results.Errors;
        Warnings = results.Warnings;
        Items = items;
        Duration = duration;
    }

    /// <summary>The restore's name.</summary>
    public string Name => Restore.Metadata.Name;

    /// <summary>The final phase: <c>Completed</c>, <c>PartiallyFailed</c>, <c>Failed</c> or <c>FailedValidation</c>.</summary>
    public string Phase => Restore.Status?.Phase ?? RestorePhase.New;

    /// <summary>Whether the restore completed without errors.</summary>
    public bool Succeeded => Phase == RestorePhase.Completed;

    /// <summary>The Restore resource with its final status (as a Velero server would record it).</summary>
    public V1Restore Restore { get; }

    /// <summary>The errors, grouped as Velero groups them (velero, cluster, namespaces).</summary>
    public ResultMessages Errors { get; }

    /// <summary>The warnings, grouped as Velero groups them.</summary>
    public ResultMessages Warnings { get; }

    /// <summary>Every item the restore handled, with what it did (Velero's restore resource list).</summary>
    public IReadOnlyList<RestoredItem> Items { get; }

    /// <summary>The items created or updated.</summary>
    public int ItemsRestored => Items is RestoredItemLog log
        ? log.CountOf(RestoredItemAction.Created) + log.CountOf(RestoredItemAction.Updated)
        : Items.Count(i => i.Action is RestoredItemAction.Created or RestoredItemAction.Updated);

    /// <summary>Why the restore failed, when it did.</summary>
    public string? FailureReason => Restore.Status?.FailureReason;

    /// <summary>The validation errors, when the phase is <c>FailedValidation</c>.</summary>
    public IReadOnlyList<string> ValidationErrors => Restore.Status?.ValidationErrors is { } v ? [.. v] : [];

    /// <summary>How long the restore took.</summary>
    public TimeSpan Duration { get; }

    /// <inheritdoc />
    public override string ToString() => $"restore {Name}: {Phase}, {Items.Count} items, {Errors.Count} errors, {Warnings.Count} warnings";
}
