namespace Velero.Sdk.Restore;

/// <summary>How restores run (the server-level settings of a Velero server).</summary>
public sealed class RestoreOptions
{
    /// <summary>How many items of one priority tier are restored at once; 8 by default.</summary>
    public int Workers { get; set; } = 8;

    /// <summary>
    /// Velero's <c>--restore-resource-priorities</c>: the high priorities, a <c>-</c> element, then the low ones. Unset means
    /// Velero's defaults (<see cref="RestorePriorities.Default"/>).
    /// </summary>
    public RestorePriorities Priorities { get; set; } = RestorePriorities.Default;

    /// <summary>How long to wait for terminating namespaces and persistent volumes, CRDs to be established and additional items to be ready; 10 minutes by default.</summary>
    public TimeSpan ResourceTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The namespace Velero's configuration lives in (ConfigMaps of the built-in actions, resource modifiers); <c>velero</c> by default.</summary>
    public string VeleroNamespace { get; set; } = Model.VeleroConstants.DefaultNamespace;

    /// <summary>Where the backup's tarball is unpacked while it is restored; the system's temporary folder by default.</summary>
    public string? TempDirectory { get; set; }
}
