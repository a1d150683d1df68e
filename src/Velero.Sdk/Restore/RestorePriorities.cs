namespace Velero.Sdk.Restore;

/// <summary>
/// The order in which a restore creates resources (Velero's <c>--restore-resource-priorities</c>): the high priorities in
/// order, then every other resource of the backup alphabetically, then the low priorities in order.
/// </summary>
public sealed class RestorePriorities
{
    private RestorePriorities(IReadOnlyList<string> high, IReadOnlyList<string> low)
    {
        High = high;
        Low = low;
    }

    /// <summary>Velero's default priorities.</summary>
    public static RestorePriorities Default { get; } = new(
        [
            "customresourcedefinitions", "namespaces", "storageclasses", "volumesnapshotclass.snapshot.storage.k8s.io",
            "volumesnapshotcontents.snapshot.storage.k8s.io", "volumesnapshots.snapshot.storage.k8s.io", "datauploads.velero.io",
            "persistentvolumes", "persistentvolumeclaims", "clusterroles", "roles", "serviceaccounts", "clusterrolebindings",
            "rolebindings", "secrets", "configmaps", "limitranges", "priorityclasses", "pods", "replicasets.apps",
            "clusterclasses.cluster.x-k8s.io", "endpoints", "services",
        ],
        [
            "clusterbootstraps.run.tanzu.vmware.com", "clusters.cluster.x-k8s.io", "clusterresourcesets.addons.cluster.x-k8s.io",
            "apps.kappctrl.k14s.io", "packageinstalls.packaging.carvel.dev",
        ]);

    /// <summary>The resources created first, in order.</summary>
    public IReadOnlyList<string> High { get; }

    /// <summary>The resources created last, in order.</summary>
    public IReadOnlyList<string> Low { get; }

    /// <summary>Creates priorities from explicit lists.</summary>
    public static RestorePriorities Create(IEnumerable<string> high, IEnumerable<string>? low = null) =>
        new([.. high ?? throw new ArgumentNullException(nameof(high))], [.. low ?? []]);

    /// <summary>
    /// Parses Velero's flag value: a comma list in which one <c>-</c> element separates high from low priorities. A value without
    /// <c>-</c> replaces only the high list (the default low list stays); a value starting with <c>-</c> replaces only the low list.
    /// </summary>
    /// <exception cref="FormatException">More than one <c>-</c> element.</exception>
    public static RestorePriorities Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var dashes = parts.Count(p => p == "-");
        if (dashes > 1)
        {
            throw new FormatException($"invalid restore resource priorities \"{value}\": there can be at most one \"-\" separating high from low priorities");
        }

        if (dashes == 0)
        {
            return new RestorePriorities(parts, Default.Low);
        }

        var split = Array.IndexOf(parts, "-");
        var high = parts[..split];
        var low = parts[(split + 1)..];
        return split == 0 ? new RestorePriorities(Default.High, low) : new RestorePriorities(high, low);
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(",", High.Concat(Low.Count > 0 ? ["-", .. Low] : []));
}
