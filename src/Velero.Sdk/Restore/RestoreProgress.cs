namespace Velero.Sdk.Restore;

/// <summary>A progress report of a running restore.</summary>
public sealed record RestoreProgress
{
    /// <summary>The restore's phase (<c>InProgress</c> until the end).</summary>
    public required string Phase { get; init; }

    /// <summary>The items selected so far (grows as additional items are found).</summary>
    public required int TotalItems { get; init; }

    /// <summary>The items handled so far (created, updated, skipped or failed).</summary>
    public required int ItemsRestored { get; init; }

    /// <summary>The resource being restored (a priority tier), e.g. <c>persistentvolumeclaims</c>.</summary>
    public string? CurrentResource { get; init; }
}
