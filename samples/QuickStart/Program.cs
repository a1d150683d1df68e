// Velero.Sdk quick start: backs up a small application from an embedded Kubernetes API server (or a real cluster with
// --kubeconfig <path>) into a Velero-layout bucket in ./velero-data, and prints what is in the backup.
// The restore half of the round trip arrives with the restore engine.
using System.Diagnostics;
using k8s;
using Velero.Sdk;
using Velero.Sdk.Backup;
using Velero.Sdk.Storage;
using Velero.Sdk.Testing;

string? kubeconfig = args.SkipWhile(a => a != "--kubeconfig").Skip(1).FirstOrDefault();
var bucket = Path.GetFullPath("velero-data");

KubernetesApiServer? embedded = null;
KubernetesClientConfiguration config;
if (kubeconfig is null)
{
    embedded = await KubernetesApiServer.StartAsync();
    await embedded.SeedYamlAsync(ShopApp.Manifest);
    config = embedded.CreateClientConfiguration();
    Console.WriteLine($"embedded cluster at {embedded.BaseAddress} seeded with namespace 'shop'");
}
else
{
    config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
    Console.WriteLine($"cluster from {kubeconfig}");
}

try
{
    using var velero = new VeleroClientBuilder()
        .UseKubernetes(config)
        .UseObjectStore(new FileSystemObjectStore(bucket))
        .Build();

    var name = "shop-" + TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
    var request = new BackupBuilder(name).IncludeNamespaces("shop").WithTtl(TimeSpan.FromDays(7)).Build();
    var watch = Stopwatch.StartNew();
    var result = await velero.BackupAsync(request, new Progress<BackupProgress>(p =>
        Console.WriteLine($"  {p.Phase}: {p.ItemsBackedUp}/{p.TotalItems} items{(p.CurrentResource is null ? string.Empty : " (" + p.CurrentResource + ")")}")));

    Console.WriteLine();
    Console.WriteLine($"backup {result.Name}: {result.Phase} in {watch.Elapsed.TotalSeconds:F1} s, {result.ItemsBackedUp} items, {result.Errors.Count} errors, {result.Warnings.Count} warnings");
    foreach (var (resource, count) in result.ItemsPerResource)
    {
        Console.WriteLine($"  {resource,-50} {count,5}");
    }

    foreach (var e in result.Errors.All().Concat(result.Warnings.All()))
    {
        Console.WriteLine("  ! " + e);
    }

    Console.WriteLine($"stored in {Path.Combine(bucket, "backups", result.Name)}");
    return result.Succeeded ? 0 : 1;
}
finally
{
    if (embedded is not null)
    {
        await embedded.DisposeAsync();
    }
}
