using Velero.Cli.CommandLine;
using Velero.Sdk.Backup;

namespace Velero.Cli;

/// <summary>The flags <c>backup create</c> and <c>schedule create</c> share (velero's <c>BackupCreateOptions</c>), and how they map onto a builder.</summary>
internal static class BackupFlags
{
    public static IReadOnlyList<Flag> Spec { get; } =
    [
        new("ttl", FlagKind.String, "How long before the backup can be garbage collected (Go duration, e.g. 720h; 0 = the default 720h)", ValueName: "duration"),
        new("include-namespaces", FlagKind.List, "Namespaces to include in the backup (use '*' for all namespaces) (default *)"),
        new("exclude-namespaces", FlagKind.List, "Namespaces to exclude from the backup"),
        new("include-resources", FlagKind.List, "Resources to include in the backup, formatted as resource.group, such as storageclasses.storage.k8s.io (use '*' for all resources). Cannot work with include-cluster-scoped-resources, exclude-cluster-scoped-resources, include-namespace-scoped-resources and exclude-namespace-scoped-resources"),
        new("exclude-resources", FlagKind.List, "Resources to exclude from the backup, formatted as resource.group, such as storageclasses.storage.k8s.io"),
        new("include-cluster-resources", FlagKind.Bool, "Include cluster-scoped resources in the backup (unset: only for backups of every namespace; --include-cluster-resources=false: none)"),
        new("include-cluster-scoped-resources", FlagKind.List, "Cluster-scoped resources to include in the backup ('*' for all); cannot be mixed with --include-resources/--exclude-resources/--include-cluster-resources"),
        new("exclude-cluster-scoped-resources", FlagKind.List, "Cluster-scoped resources to exclude from the backup ('*' for all)"),
        new("include-namespace-scoped-resources", FlagKind.List, "Namespaced resources to include in the backup ('*' for all)"),
        new("exclude-namespace-scoped-resources", FlagKind.List, "Namespaced resources to exclude from the backup ('*' for all)"),
        new("labels", FlagKind.List, "Labels to apply to the backup", ValueName: "key=value,..."),
        new("annotations", FlagKind.List, "Annotations to apply to the backup", ValueName: "key=value,..."),
        new("storage-location", FlagKind.String, "Location in which to store the backup (this CLI has one: default, the --storage)"),
        new("volume-snapshot-locations", FlagKind.List, "List of locations (at most one per provider) where volume snapshots should be stored (names given by --snapshot-location)"),
        new("selector", FlagKind.String, "Only back up resources matching this label selector", 'l'),
        new("or-selector", FlagKind.String, "Backup resources matching at least one of the label selector from the list. Label selectors should be separated by ' or '. For example, foo=bar or app=nginx"),
        new("ordered-resources", FlagKind.String, "Mapping Kinds to an ordered list of specific resources of that Kind. Resource names are separated by commas and their names are in format 'namespace/resourcename'. For cluster scope resource, simply use resource name. Key-value pairs in the mapping are separated by semi-colon. Example: 'pods=ns1/pod1,ns1/pod2;persistentvolumeclaims=ns1/pvc4,ns1/pvc8'"),
        new("csi-snapshot-timeout", FlagKind.String, "How long to wait for CSI snapshot creation before timeout (default 10m)", ValueName: "duration"),
        new("item-operation-timeout", FlagKind.String, "How long to wait for async plugin operations before timeout (default 4h)", ValueName: "duration"),
        new("snapshot-volumes", FlagKind.Bool, "Take snapshots of PersistentVolumes as part of the backup (unset: yes; --snapshot-volumes=false: no)"),
        new("default-volumes-to-fs-backup", FlagKind.Bool, "Use pod volume file system backup by default for volumes"),
        new("resource-policies-configmap", FlagKind.String, "Reference to the resource policies configmap that backup using"),
    ];

    /// <summary>Calls <paramref name="apply"/> only when a list flag has values, so an unset list stays out of the resource (as velero's nil slices).</summary>
    public static void IfAny(IReadOnlyList<string> values, Func<string[], object> apply)
    {
        if (values.Count > 0)
        {
            apply([.. values]);
        }
    }

    /// <summary>Applies the spec flags; returns problems that velero's CLI reports itself (before the builder's own checks).</summary>
    public static List<string> Apply<TBuilder>(BackupSpecBuilder<TBuilder> b, ParsedArgs args, CliContext ctx)
        where TBuilder : BackupSpecBuilder<TBuilder>
    {
        var problems = new List<string>();
        b.IncludeNamespaces(args.Has("include-namespaces") ? [.. args.GetList("include-namespaces")] : ["*"]);
        IfAny(args.GetList("exclude-namespaces"), v => b.ExcludeNamespaces(v));
        IfAny(args.GetList("include-resources"), v => b.IncludeResources(v));
        IfAny(args.GetList("exclude-resources"), v => b.ExcludeResources(v));
        b.IncludeClusterResources(args.GetBool("include-cluster-resources"));
        IfAny(args.GetList("include-cluster-scoped-resources"), v => b.IncludeClusterScopedResources(v));
        IfAny(args.GetList("exclude-cluster-scoped-resources"), v => b.ExcludeClusterScopedResources(v));
        IfAny(args.GetList("include-namespace-scoped-resources"), v => b.IncludeNamespaceScopedResources(v));
        IfAny(args.GetList("exclude-namespace-scoped-resources"), v => b.ExcludeNamespaceScopedResources(v));
        if (args.GetDuration("ttl") is { } ttl && ttl > TimeSpan.Zero)
        {
            b.WithTtl(ttl);
        }

        if (args.Get("storage-location") is { Length: > 0 } location)
        {
            if (location != Velero.Sdk.Model.VeleroConstants.DefaultBackupStorageLocation)
            {
                problems.Add($"backupstoragelocations.velero.io \"{location}\" not found (this CLI's only location is \"default\", the --storage)");
            }

            b.WithStorageLocation(location);
        }

        var known = ctx.SnapshotLocationNames;
        foreach (var vsl in args.GetList("volume-snapshot-locations"))
        {
            if (!known.Contains(vsl))
            {
                problems.Add($"volumesnapshotlocations.velero.io \"{vsl}\" not found (give it with --snapshot-location)");
            }
        }

        IfAny(args.GetList("volume-snapshot-locations"), v => b.WithVolumeSnapshotLocations(v));
        var selector = args.Get("selector");
        var orSelector = args.Get("or-selector");
        if (!string.IsNullOrEmpty(selector) && !string.IsNullOrEmpty(orSelector))
        {
            problems.Add("either a 'selector' or an 'or-selector' can be specified, but not both");
        }

        if (!string.IsNullOrEmpty(selector))
        {
            b.WithLabelSelector(selector);
        }

        if (!string.IsNullOrEmpty(orSelector))
        {
            b.WithOrLabelSelectors(orSelector.Split(" or ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        if (args.Get("ordered-resources") is { Length: > 0 } ordered)
        {
            foreach (var part in ordered.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new UsageException($"invalid argument \"{ordered}\" for \"--ordered-resources\" flag: {part} must be formatted as resource=ns/name,...");
                }

                b.WithOrderedResources(part[..eq].Trim(), part[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            }
        }

        if (args.GetDuration("csi-snapshot-timeout") is { } csi)
        {
            b.WithCsiSnapshotTimeout(csi);
        }

        if (args.GetDuration("item-operation-timeout") is { } itemOps)
        {
            b.WithItemOperationTimeout(itemOps);
        }

        b.SnapshotVolumes(args.GetBool("snapshot-volumes"));
        b.DefaultVolumesToFsBackup(args.GetBool("default-volumes-to-fs-backup"));
        if (args.Get("resource-policies-configmap") is { Length: > 0 } policy)
        {
            b.WithResourcePolicy(policy);
        }

        return problems;
    }
}
