using Velero.Sdk.Model;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Backup;

/// <summary>The outcome of a backup.</summary>
public sealed class BackupResult
{
    internal BackupResult(V1Backup backup, OperationResults results, IReadOnlyDictionary<string, int> itemsPerResource, TimeSpan duration)
    {
        Backup = backup;
        Errors = results.Errors;
        Warnings = results.Warnings;
        ItemsPerResource = itemsPerResource;
        Duration = duration;
    }

    /// <summary>The backup's name.</summary>
    public string Name => Backup.Metadata.Name;

    /// <summary>The final phase: <c>Completed</c>, <c>PartiallyFailed</c>, <c>Failed</c> or <c>FailedValidation</c>.</summary>
    public string Phase => Backup.Status?.Phase ?? BackupPhase.New;

    /// <summary>True when the phase is <c>Completed</c>.</summary>
    public bool Succeeded => Phase == BackupPhase.Completed;

    /// <summary>The Backup resource as written to <c>velero-backup.json</c> (spec with defaults, final status).</summary>
    public V1Backup Backup { get; }

    /// <summary>Errors, grouped as in Velero's results file.</summary>
    public ResultMessages Errors { get; }

    /// <summary>Warnings, grouped as in Velero's results file.</summary>
    public ResultMessages Warnings { get; }

    /// <summary>Items written per group-resource.</summary>
    public IReadOnlyDictionary<string, int> ItemsPerResource { get; }

    /// <summary>Distinct items in the backup.</summary>
    public int ItemsBackedUp => Backup.Status?.Progress?.ItemsBackedUp ?? 0;

    /// <summary>The reason the whole backup failed, if it did.</summary>
    public string? FailureReason => Backup.Status?.FailureReason;

    /// <summary>The validation errors, if the phase is <c>FailedValidation</c>.</summary>
    public IReadOnlyList<string> ValidationErrors => Backup.Status?.ValidationErrors is { } v ? [.. v] : [];

    /// <summary>How long the backup took.</summary>
    public TimeSpan Duration { get; }

    /// <inheritdoc />
    public override string ToString() => $"backup {Name}: {Phase}, {ItemsBackedUp} items, {Errors.Count} errors, {Warnings.Count} warnings";
}
