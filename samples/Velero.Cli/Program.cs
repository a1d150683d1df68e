// velero's verbs in direct mode: the Velero.Sdk engine runs in this process against --kubeconfig/KUBECONFIG, with a folder
// (--storage, default ./velero-data) or an S3 bucket (--storage s3://bucket[/prefix]) as the BackupStorageLocation.
// Nothing is written to the cluster but the objects a restore creates. Exit codes: see ExitCodes.
using Velero.Cli;

return await Cli.RunAsync(args, Console.Out, Console.Error);
