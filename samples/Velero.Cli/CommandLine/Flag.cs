namespace Velero.Cli.CommandLine;

/// <summary>A flag of a command: its long name, optional one-letter short name, kind and help text.</summary>
internal sealed record Flag(string Name, FlagKind Kind, string Help, char? Short = null, string? ValueName = null)
{
    /// <summary>The flags every command takes.</summary>
    public static IReadOnlyList<Flag> Global { get; } =
    [
        new("namespace", FlagKind.String, "The namespace in which Velero should operate: the Backup, Restore and Schedule resources live there and ConfigMaps for actions and resource modifiers are read from it (default \"velero\", or $VELERO_NAMESPACE)", 'n'),
        new("kubeconfig", FlagKind.String, "Path to the kubeconfig file to use to talk to the Kubernetes apiserver. If unset, try the environment variable KUBECONFIG, as well as in-cluster configuration"),
        new("kubecontext", FlagKind.String, "The context to use to talk to the Kubernetes apiserver. If unset defaults to whatever your current-context is (kubectl config current-context)"),
        new("storage", FlagKind.String, "The object storage: a folder (the bucket root; default ./velero-data) or s3://bucket[/prefix]", ValueName: "folder|s3://bucket[/prefix]"),
        new("storage-config", FlagKind.List, "BackupStorageLocation config of velero-plugin-for-aws for an s3:// storage (region, s3Url, s3ForcePathStyle, checksumAlgorithm, profile, ...); credentials come from the AWS SDK chain", ValueName: "key=value,..."),
        new("snapshot-location", FlagKind.Repeated, "A VolumeSnapshotLocation, repeatable: provider:key=value,... (aws: region, ec2Url, profile, credentialsFile, ebsKmsKeyId). The first is named default, the next <provider>-2, <provider>-3 (by position)", ValueName: "provider:key=value,..."),
        new("help", FlagKind.Bool, "Help for the command", 'h'),
    ];
}
