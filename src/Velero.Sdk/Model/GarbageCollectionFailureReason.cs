namespace Velero.Sdk.Model;

/// <summary>
/// Values of the <see cref="VeleroLabels.GcFailure"/> label that garbage collection puts on a
/// Backup it could not delete.
/// </summary>
public static class GarbageCollectionFailureReason
{
    /// <summary>
    /// The backup's storage location does not exist.
    /// </summary>
    public const string BslNotFound = "BSLNotFound";

    /// <summary>
    /// The backup's storage location could not be read.
    /// </summary>
    public const string BslCannotGet = "BSLCannotGet";

    /// <summary>
    /// The backup's storage location is read-only.
    /// </summary>
    public const string BslReadOnly = "BSLReadOnly";
}
