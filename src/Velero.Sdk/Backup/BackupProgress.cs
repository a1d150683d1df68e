namespace Velero.Sdk.Backup;

/// <summary>A snapshot of a running backup's progress, reported through <see cref="IProgress{T}"/>.</summary>
public sealed record BackupProgress
{
    /// <summary>The phase, e.g. <c>InProgress</c>, then the final phase.</summary>
    public required string Phase { get; init; }

    /// <summary>Items known so far (listed, plus items actions pulled in); final at the end.</summary>
    public required int TotalItems { get; init; }

    /// <summary>Distinct items backed up so far.</summary>
    public required int ItemsBackedUp { get; init; }

    /// <summary>The resource being listed, e.g. <c>deployments.apps</c>; null when none.</summary>
    public string? CurrentResource { get; init; }

    /// <summary>Items written so far per group-resource.</summary>
    public IReadOnlyDictionary<string, int> ItemsPerResource { get; init; } = new Dictionary<string, int>();
}
