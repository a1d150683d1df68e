// Velero.Sdk quick start.
// Today it shows the request side of the main job: a backup of one namespace and a restore of it into another
// namespace by mapping, built and validated offline. The backup/restore round trip against an embedded cluster
// arrives with the backup and restore engines.
using Velero.Sdk;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;

var backup = new BackupBuilder("quickstart")
    .IncludeNamespaces("shop")
    .WithTtl(TimeSpan.FromDays(7))
    .Build();

var restore = new RestoreBuilder(fromBackup: backup.Name)
    .MapNamespace("shop", "shop-restored")
    .Build();

Console.WriteLine($"backup  {backup.Name}: namespaces [{string.Join(", ", backup.IncludedNamespaces)}], ttl {backup.Ttl}");
Console.WriteLine($"restore {restore.Name}: shop -> {restore.NamespaceMapping.Map("shop")}");
Console.WriteLine();
Console.WriteLine("As velero.io/v1 resources:");
Console.WriteLine(VeleroJson.Serialize(backup.ToBackup(), indented: true));
Console.WriteLine(VeleroJson.Serialize(restore.ToRestore(), indented: true));

// Bad input gets every problem at once, in Velero's words.
try
{
    new BackupBuilder("Bad_Name").IncludeNamespaces("a").ExcludeNamespaces("a").WithLabelSelector("app in (web").Build();
}
catch (VeleroValidationException e)
{
    Console.WriteLine();
    Console.WriteLine(e.Message);
}
